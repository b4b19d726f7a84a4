"""Minds decide for agents: scripted (default, offline) or LLM-backed."""
