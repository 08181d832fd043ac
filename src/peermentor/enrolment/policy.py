"""Who may see and change calls, applications, formation runs and cohorts.

Intake answers are for the program's directors only: evaluators of the program get 403, everyone
else 404. Applicants reach their own application through its private link (the token is the
credential), never through these rules.
"""

from __future__ import annotations

from typing import Any

import rules

from peermentor.enrolment.models import Application, Call, CohortGroup, FormationRun
from peermentor.programs.models import Program
from peermentor.programs.policy import is_program_director, is_program_evaluator


def _program(obj: Any) -> Program | None:
    if isinstance(obj, Application | FormationRun):
        return obj.call.program
    if isinstance(obj, CohortGroup):
        return obj.cohort.program
    if isinstance(obj, Call) or hasattr(obj, "program"):
        return obj.program
    return None


@rules.predicate
def directs_its_program(user: Any, obj: Any) -> bool:
    """The person directs the program the call, application, run or cohort belongs to."""
    return bool(is_program_director(user, _program(obj)))


@rules.predicate
def evaluates_its_program(user: Any, obj: Any) -> bool:
    """The person evaluates the program the object belongs to."""
    return bool(is_program_evaluator(user, _program(obj)))


# Staff of the program know the call exists (so an evaluator is told 403, not 404) ...
rules.add_perm("enrolment.see_call", directs_its_program | evaluates_its_program)
# ... but only its directors read intake answers, form groups and decide about cohorts.
rules.add_perm("enrolment.manage_call", directs_its_program)
