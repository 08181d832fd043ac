"""Import, or check, a survey file (REDCap, Qualtrics, CSV or XLSX) from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peermentor.surveys import services
from peermentor.surveys.models import Wave
from peermentor.surveys.reading import read_survey
from peermentor.surveys.records import OPEN_TEXT, QuestionRecord, SurveyFileError, SurveyImport


class Command(BaseCommand):
    help = (
        "Import the responses of a REDCap data export (with --dictionary), a Qualtrics CSV "
        "export, or a CSV/XLSX table into --wave. With --dry-run the file is only read. With "
        "--json one JSON object is printed. An unreadable file, or one with errors, ends the "
        "command with status 1 and saves nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="The survey file.")
        parser.add_argument("--dictionary", metavar="FILE", help="A REDCap data dictionary CSV.")
        parser.add_argument("--wave", type=int, metavar="ID", help="Save into this wave.")
        parser.add_argument("--dry-run", action="store_true", help="Read only; save nothing.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        wave = self._wave(options["wave"])
        if wave is None and not options["dry_run"]:
            raise CommandError("Name the wave to import into with --wave ID, or use --dry-run.")
        path = Path(options["file"])
        try:
            result = self._read(path, options["dictionary"], wave)
        except SurveyFileError as error:
            self._report(options, None, [_file_error(error)])
            raise CommandError(str(error)) from error
        self._report(options, result, [_issue(issue) for issue in result.errors])
        if result.errors:
            raise CommandError(f"{path.name}: {len(result.errors)} problem(s); nothing was saved.")
        if not options["dry_run"] and wave is not None:
            self._save(wave, result, path.name, options["json"])

    def _wave(self, wave_id: int | None) -> Wave | None:
        if wave_id is None:
            return None
        wave = Wave.objects.select_related("program", "instrument").filter(pk=wave_id).first()
        if wave is None:
            raise CommandError(f"No wave with the id {wave_id}.")
        return wave

    def _read(self, path: Path, dictionary: str | None, wave: Wave | None) -> SurveyImport:
        try:
            data = path.read_bytes()
            extra = Path(dictionary).read_bytes() if dictionary else None
        except OSError as error:
            raise SurveyFileError(f"cannot read the file: {error.strerror}", path.name) from error
        questions = None
        if wave is not None:
            questions = [
                QuestionRecord(q.key, q.label, q.type, tuple(tuple(c) for c in q.choices))
                for q in wave.instrument.questions.all()
            ]
        return read_survey(
            data,
            path.name,
            dictionary=extra,
            dictionary_name=Path(dictionary).name if dictionary else "dictionary.csv",
            questions=questions,
        )

    def _report(
        self, options: dict[str, Any], result: SurveyImport | None, errors: list[dict[str, Any]]
    ) -> None:
        if options["json"]:
            self.stdout.write(json.dumps(summary_json(result, errors)))
        elif result is not None:
            self.stdout.write(
                f"{options['file']}: {len(result.responses)} responses ({result.format}), "
                f"{len(result.questions)} questions, {len(errors)} problem(s)"
            )
            for error in errors:
                self.stdout.write(f"  row {error['row']}, {error['column']}: {error['message']}")

    def _save(self, wave: Wave, result: SurveyImport, filename: str, quiet: bool) -> None:
        try:
            summary = services.survey_import(
                program=wave.program, result=result, filename=filename, actor=None, wave=wave
            )
        except services.SurveyError as error:
            raise CommandError(str(error)) from error
        if not quiet:
            self.stdout.write(f"Saved {summary.responses} responses into “{wave}”.")


def summary_json(result: SurveyImport | None, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """The --json report: format, questions, counts and errors."""
    if result is None:
        return {"format": None, "questions": [], "responses": 0, "open_text_answers": 0,
                "errors": errors}  # fmt: skip
    open_keys = {q.key for q in result.questions if q.type == OPEN_TEXT}
    return {
        "format": result.format,
        "questions": [
            {
                "key": q.key,
                "label": q.label,
                "type": q.type,
                "choices": [list(c) for c in q.choices],
            }
            for q in result.questions
        ],
        "responses": len(result.responses),
        "open_text_answers": sum(
            1
            for r in result.responses
            for key, value in r.answers.items()
            if key in open_keys and value
        ),
        "errors": errors,
    }


def _issue(issue: Any) -> dict[str, Any]:
    return {"row": issue.row, "column": issue.column, "message": issue.message}


def _file_error(error: SurveyFileError) -> dict[str, Any]:
    return {"row": error.row, "column": error.column, "message": str(error)}
