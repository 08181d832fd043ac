"""Form groups from an intake CSV on the command line: `peermentor form-groups INTAKE.csv`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.enrolment.templatetags.enrolment_tags import slot_label
from peermentor.programs.formation import FormationError, FormationRequest, form_groups
from peermentor.programs.intake_csv import IntakeError, read_intake


class Command(BaseCommand):
    help = (
        "Form groups from an intake CSV (columns id, career_stage, department, interests, "
        "availability, exclude and any balance:<name>): sizes --min to --max, optionally one "
        "senior per group, exclusions always kept, nobody isolated in a balanced category when "
        "avoidable, then the highest total score. Bad input or impossible rules end with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="INTAKE.csv", help="The intake CSV file.")
        parser.add_argument("--min", type=int, required=True, dest="min_size", metavar="N")
        parser.add_argument("--max", type=int, required=True, dest="max_size", metavar="N")
        parser.add_argument(
            "--senior-per-group", action="store_true", help="Exactly one senior in each group."
        )
        parser.add_argument(
            "--seconds", type=float, default=10.0, metavar="S", help="Time limit (default 10)."
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if options["seconds"] <= 0:
            raise CommandError("--seconds must be more than 0.")
        try:
            applicants = read_intake(path)
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file.") from error
        except IntakeError as error:
            raise CommandError(f"{path}: {error}") from error
        request = FormationRequest(
            applicants=applicants,
            min_size=options["min_size"],
            max_size=options["max_size"],
            senior_per_group=options["senior_per_group"],
            seconds=options["seconds"],
        )
        try:
            result = form_groups(request)
        except FormationError as error:
            raise CommandError(f"{path}: the groups cannot be formed: {error}.") from error
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(result)))
            return
        self._print(result)

    def _print(self, result: Any) -> None:
        for number, why in enumerate(result.explanations, start=1):
            slots = ", ".join(slot_label(s) for s in why.common_slots) or "none"
            self.stdout.write(
                f"Group {number} (score {why.score.total}): {', '.join(map(str, why.members))}"
            )
            self.stdout.write(
                f"  shared interests {why.score.shared_interests}, common hours {slots}, "
                f"departments {why.score.departments}"
            )
        gap = "—" if result.gap is None else f"{100 * result.gap:.1f}%"
        self.stdout.write(
            f"Total score {result.objective} (bound {result.bound}, gap {gap}); lowest group "
            f"score {result.lowest_group_score}; isolated {result.isolated}; "
            f"{result.seconds:.1f} s ({result.method})"
        )
        for note in result.notes:
            self.stdout.write(f"Note: {note}")


def _as_json(result: Any) -> dict[str, Any]:
    return {
        "groups": [[str(pid) for pid in group] for group in result.groups],
        "objective": result.objective,
        "lowest_group_score": result.lowest_group_score,
        "bound": result.bound,
        "isolated": result.isolated,
        "seconds": round(result.seconds, 3),
    }
