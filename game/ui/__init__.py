"""The desktop front end (pygame-ce + pygame_gui). pygame is imported only inside this package."""
