"""People: user accounts (e-mail login) and faculty profiles."""
