"""Who may see and change works, claims and career events.

Members see their own works and claim queue and the works their group shares; directors see
aggregate figures only (reports and the program productivity page, with small cells suppressed).
"""

from __future__ import annotations

from typing import Any

import rules

from peermentor.programs.policy import is_program_director, is_program_evaluator


@rules.predicate
def is_the_author(user: Any, authorship: Any) -> bool:
    """The authorship is linked to the person (pending or confirmed)."""
    return bool(user.is_authenticated and authorship.member_id == user.pk)


@rules.predicate
def owns_event(user: Any, event: Any) -> bool:
    """The career event is the person's own."""
    return bool(user.is_authenticated and event.user_id == user.pk)


rules.add_perm("scholarship.claim", is_the_author)
rules.add_perm("scholarship.change_event", owns_event)
rules.add_perm("scholarship.see_program_figures", is_program_director | is_program_evaluator)
