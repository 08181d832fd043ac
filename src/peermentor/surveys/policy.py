"""Who may build instruments, open waves, read answers and answer surveys.

Directors run the surveys of their program: they build instruments, open waves and see response
rates and closed-question summaries, never free text. Evaluators of the program read the answers
pseudonymised and export them. Members answer the waves they are invited to, through their own
single-use link (see ``services.invitee_for_token``), never through these rules.
"""

from __future__ import annotations

from typing import Any

import rules

from peermentor.programs.policy import is_program_director, is_program_evaluator


@rules.predicate
def is_invitee(user: Any, wave: Any) -> bool:
    """The person was invited to answer the wave."""
    return bool(user.is_authenticated and wave.invitees.filter(user_id=user.pk).exists())


# Programs (and their instruments and waves, through ``obj.program``).
rules.add_perm("surveys.see_surveys", is_program_director | is_program_evaluator)
rules.add_perm("surveys.manage_surveys", is_program_director)
rules.add_perm("surveys.import_answers", is_program_director | is_program_evaluator)
# Answers: pseudonymised free text for evaluators only.
rules.add_perm("surveys.see_answers", is_program_evaluator)
rules.add_perm("surveys.answer_wave", is_invitee)
