"""Choose the reader for an uploaded survey file: REDCap, Qualtrics or a generic table.

Pure module: no Django import. A REDCap export comes with its data dictionary; a Qualtrics
export names a ``ResponseId`` (or the legacy ``V1``) column or carries ``ImportId`` keys; any
other CSV or XLSX is a generic table whose columns are matched to question keys by name.
"""

from __future__ import annotations

import re

from peermentor.surveys.qualtrics import read_qualtrics
from peermentor.surveys.records import (
    DEFAULT_LIMITS,
    OPEN_TEXT,
    QuestionRecord,
    ReadLimits,
    SurveyImport,
)
from peermentor.surveys.redcap import read_redcap
from peermentor.surveys.tabular import ColumnRole, inspect, read_mapped

_QUALTRICS_MARKS = re.compile(rb"(?:^|[,\"])(?:ResponseId|ResponseID|V1)(?:[,\"\r\n])|ImportId")
_HEAD = 8192
_KEY_CHARS = re.compile(r"[^a-z0-9_]+")


def is_qualtrics(data: bytes) -> bool:
    """Whether the first rows look like a Qualtrics export."""
    return bool(_QUALTRICS_MARKS.search(data[:_HEAD].lstrip(b"\xef\xbb\xbf")))


def column_key(column: str) -> str:
    """A question key made from a column name: lower case, letters, digits and _."""
    key = _KEY_CHARS.sub("_", column.strip().lower()).strip("_")
    return key if key[:1].isalpha() else f"q_{key}"


def read_survey(
    data: bytes,
    filename: str,
    *,
    dictionary: bytes | None = None,
    dictionary_name: str = "dictionary.csv",
    questions: list[QuestionRecord] | None = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> SurveyImport:
    """Read a survey file with the reader its shape calls for (raises ``SurveyFileError``).

    A generic table's columns are matched to ``questions`` by key (other columns are left out);
    without ``questions`` every column is read as an open-text question.
    """
    if dictionary is not None:
        return read_redcap(
            data, dictionary, data_name=filename, dictionary_name=dictionary_name, limits=limits
        )
    if is_qualtrics(data):
        return read_qualtrics(data, filename, limits=limits)
    columns = inspect(data, filename, limits=limits).columns
    return read_mapped(data, filename, _mapping(columns, questions), limits=limits)


def _mapping(columns: list[str], questions: list[QuestionRecord] | None) -> dict[str, ColumnRole]:
    if questions is None:
        return {column: QuestionRecord(column_key(column), column, OPEN_TEXT) for column in columns}
    by_key = {question.key: question for question in questions}
    mapping: dict[str, ColumnRole] = {}
    for column in columns:
        question = by_key.get(column.strip()) or by_key.get(column_key(column))
        mapping[column] = question if question is not None else "ignore"
    return mapping
