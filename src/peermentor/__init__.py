"""PeerMentor: run peer mentoring groups for academic faculty, and evaluate them."""
