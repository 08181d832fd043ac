"""Meetings: polls, agendas, notes, action items, attendance, calendar feeds."""
