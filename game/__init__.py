"""Hindsight: a time-loop murder mystery run by generative agents."""

__version__ = "0.1.0"
