"""Who may manage a personal access token: only the person it belongs to."""

from __future__ import annotations

from typing import Any

import rules


@rules.predicate
def owns_token(user: Any, token: Any) -> bool:
    """The token is the person's own."""
    return bool(user.is_authenticated and token is not None and token.user_id == user.pk)


rules.add_perm("api.manage_token", owns_token)
