"""Surveys: instruments, waves, anonymous and identified responses, imports."""
