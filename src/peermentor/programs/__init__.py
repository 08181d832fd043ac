"""Programs, groups, memberships, invitations and the group charter."""
