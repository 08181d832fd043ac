"""The versioned REST API (Django Ninja) with its OpenAPI description."""
