"""Goals and check-ins, the optional curriculum, and each group's resources board."""
