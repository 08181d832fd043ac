"""Read the group-formation intake CSV into applicants; errors name the line and the column."""

# Columns (header names are case-insensitive; other columns, such as a form's timestamp or
# e-mail, are ignored): id, career_stage (junior or senior), department, interests, availability
# and exclude, the last three semicolon-separated; plus any number of balance:<name> columns
# (gender, urim …). A slot is a weekday abbreviation and a two-digit hour, e.g. Tue07.
# Files are UTF-8; the byte-order mark that Excel's "CSV UTF-8" writes is accepted, while a
# UTF-16 or UTF-32 byte-order mark (Excel's "Unicode text") is refused with a hint.

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from peermentor.programs.formation import WEEKDAYS, Applicant

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
REQUIRED = ("id", "career_stage", "department", "interests", "availability", "exclude")
BALANCE_PREFIX = "balance:"
STAGES = {"junior": False, "senior": True}
_SLOT = re.compile(r"(?P<day>[A-Za-z]{3})(?P<hour>[01]\d|2[0-3])")
_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


class IntakeError(ValueError):
    """The intake file cannot be read; ``line`` (1-based) and ``column`` say where."""

    def __init__(self, message: str, *, line: int, column: str | None = None) -> None:
        self.message, self.line, self.column = message, line, column
        where = f"line {line}" + (f", column {column!r}" if column else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


def read_intake(path: str | Path) -> list[Applicant]:
    """The applicants in the intake CSV file at ``path``."""
    with Path(path).open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return parse_intake(data)


def parse_intake(data: bytes) -> list[Applicant]:
    """The applicants in the bytes of an intake CSV file."""
    if len(data) > MAX_BYTES:
        raise IntakeError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB", line=1)
    text = _decode(data)
    if not text.strip():
        raise IntakeError("the file is empty: expected a header row", line=1)
    columns, rows = _records(text)
    if not rows:
        raise IntakeError("there are no applicant rows under the header", line=2)
    applicants = [_applicant(row, columns) for row in rows]
    _check_ids(rows, applicants)
    return applicants


def _decode(data: bytes) -> str:
    for bom, name in _FOREIGN_BOMS:
        if data.startswith(bom):
            raise IntakeError(
                f"the file is {name} (it starts with a {name} byte-order mark); "
                "save it as CSV UTF-8",
                line=1,
            )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise IntakeError("the file is not UTF-8: save it as CSV UTF-8", line=line) from None


def _records(text: str) -> tuple[list[str], list[_Row]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    balance: list[str] = []
    rows: list[_Row] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise IntakeError(f"the CSV is malformed: {error}", line=start) from None
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header, balance = record, _columns(record)
            continue
        rows.append(_Row(start, _cells(header, record, start)))
        if len(rows) > MAX_ROWS:
            raise IntakeError(f"more than {MAX_ROWS} applicants", line=start)
    if header is None:
        raise IntakeError("the file is empty: expected a header row", line=1)
    return balance, rows


def _cells(header: Sequence[str], record: Sequence[str], line: int) -> dict[str, str]:
    if len(record) != len(header):
        raise IntakeError(
            f"the row has {len(record)} fields but the header has {len(header)}", line=line
        )
    return {_key(name): cell.strip() for name, cell in zip(header, record, strict=True)}


def _key(name: str) -> str:
    key = name.strip().casefold()
    if key.startswith(BALANCE_PREFIX):
        return BALANCE_PREFIX + key[len(BALANCE_PREFIX) :].strip()
    return key


def _columns(header: Sequence[str]) -> list[str]:
    keys = [_key(name) for name in header]
    for position, key in enumerate(keys):
        if key in keys[:position]:
            raise IntakeError("the column appears twice in the header", line=1, column=key)
        if key == BALANCE_PREFIX:
            raise IntakeError("a balance column needs a name, e.g. balance:gender", line=1)
    missing = [name for name in REQUIRED if name not in keys]
    if missing:
        raise IntakeError(
            f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
            f"(expected {', '.join(REQUIRED)} and any balance:<name> columns)",
            line=1,
        )
    return [key for key in keys if key.startswith(BALANCE_PREFIX)]


def _applicant(row: _Row, balance: Sequence[str]) -> Applicant:
    cells = row.cells
    if not cells["id"]:
        raise IntakeError("the id is empty", line=row.line, column="id")
    stage = cells["career_stage"].casefold()
    if stage not in STAGES:
        raise IntakeError(
            f"career stage {cells['career_stage']!r} is not junior or senior",
            line=row.line,
            column="career_stage",
        )
    return Applicant(
        id=cells["id"],
        senior=STAGES[stage],
        department=cells["department"],
        interests=frozenset(_split(cells["interests"])),
        availability=frozenset(_slot(s, row.line) for s in _split(cells["availability"])),
        exclude=frozenset(_split(cells["exclude"])),
        balance={key[len(BALANCE_PREFIX) :]: cells[key] for key in balance},
    )


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _slot(text: str, line: int) -> str:
    match = _SLOT.fullmatch(text)
    day = match["day"].title() if match else ""
    if not match or day not in WEEKDAYS:
        raise IntakeError(
            f"unknown slot {text!r}: use a weekday (Mon … Sun) and a two-digit hour 00–23, "
            "e.g. Tue07",
            line=line,
            column="availability",
        )
    return f"{day}{match['hour']}"


def _check_ids(rows: Sequence[_Row], applicants: Sequence[Applicant]) -> None:
    first: dict[str, int] = {}
    for row, applicant in zip(rows, applicants, strict=True):
        pid = str(applicant.id)
        if pid in first:
            raise IntakeError(
                f"id {pid!r} is already used on line {first[pid]}", line=row.line, column="id"
            )
        first[pid] = row.line
    for row, applicant in zip(rows, applicants, strict=True):
        for other in sorted(map(str, applicant.exclude)):
            if other == applicant.id:
                raise IntakeError(f"{other!r} excludes themself", line=row.line, column="exclude")
            if other not in first:
                raise IntakeError(
                    f"excludes {other!r}, who is not in the file", line=row.line, column="exclude"
                )
