"""Qualitative analysis: codebooks, coding, agreement, themes, REFI-QDA exchange."""
