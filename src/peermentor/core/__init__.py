"""Shared foundations: authorization, audit, base templates; imports no feature app."""
