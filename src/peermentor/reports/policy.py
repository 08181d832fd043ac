"""Who may make and read program evaluation reports: the program's directors and evaluators.

Members and outsiders never see a report exists (404); a director of another program neither.
"""

from __future__ import annotations

import rules

from peermentor.programs.policy import is_program_director, is_program_evaluator

rules.add_perm("reports.see_report", is_program_director | is_program_evaluator)
rules.add_perm("reports.make_report", is_program_director | is_program_evaluator)
rules.add_perm("reports.see_dashboard", is_program_director | is_program_evaluator)
