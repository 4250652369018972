"""Bedside: a social media command center for medical practices."""

__version__ = "0.1.0"
