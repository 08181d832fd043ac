"""Who may use the qualitative workbench.

Only the program's evaluators — the evaluation team, whom a director or an evaluator invites with
the evaluator role — reach the workbench. Directors and members never see coded answers; they
see the themes and the quotes an evaluator has published, in the report.
"""

from __future__ import annotations

import rules

from peermentor.programs.policy import is_program_evaluator

# A program, or anything of its workbench that carries ``.program`` (codes, sources, rounds,
# memos, themes, rules). Segments and exemplars are fetched through their source or theme.
rules.add_perm("qualitative.use_workbench", is_program_evaluator)
