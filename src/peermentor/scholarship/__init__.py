"""Scholarship: works, authorships, importers, the collaboration network."""
