"""Inter-rater agreement of a CSV of codings, from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.qualitative.agreement import (
    LEVELS,
    AgreementError,
    interpret,
    read_rows_csv,
    summary,
)

MAX_BYTES = 50 * 1024 * 1024
ROWS = (
    ("percent_agreement", "Percent agreement", None),
    ("cohen_kappa", "Cohen's kappa", "landis_koch"),
    ("scott_pi", "Scott's pi", "landis_koch"),
    ("fleiss_kappa", "Fleiss' kappa", "landis_koch"),
    ("krippendorff_alpha", "Krippendorff's alpha", "krippendorff"),
    ("gwet_ac1", "Gwet's AC1", "landis_koch"),
)


class Command(BaseCommand):
    help = (
        "Agreement between coders for a CSV with the header unit,coder,value (a missing row is a "
        "missing value): percent agreement, Cohen's kappa (two coders), Scott's pi, Fleiss' kappa "
        "(same number of values per unit), Krippendorff's alpha at --level, and Gwet's AC1. "
        "With --json one object is printed. A bad file ends with status 1."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE.csv", help="Rows of unit,coder,value.")
        parser.add_argument(
            "--level",
            choices=LEVELS,
            default="nominal",
            help="Krippendorff's alpha metric (default nominal).",
        )
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(f"{path}: larger than 50 MB.")
            text = path.read_text(encoding="utf-8-sig")
            result = summary(read_rows_csv(text, level=options["level"]), options["level"])
        except FileNotFoundError as error:
            raise CommandError(f"{path}: no such file.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path}: not UTF-8 text ({error.reason}).") from error
        except AgreementError as error:
            raise CommandError(f"{path}: {error}") from error
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(f"{result['units']} units, {result['coders']} coders")
        for key, label, scale in ROWS:
            value = result[key]
            shown = "—" if value is None else f"{value:.4f}"
            band = f"  ({interpret(value, scale)})" if scale and value is not None else ""
            self.stdout.write(f"  {label:22} {shown}{band}")
