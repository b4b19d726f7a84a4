"""The game's rules on top of the engine: plots, murder, testimony, notebook."""
