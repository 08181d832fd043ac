"""The ``peermentor agreement`` command: JSON output and clear failures."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

# Krippendorff (2011), 4 coders x 12 units with missing values; nominal alpha = 0.743.
KRIPPENDORFF = {
    "A": "1 2 3 3 2 1 4 1 2 . . .",
    "B": "1 2 3 3 2 2 4 1 2 5 . 3",
    "C": ". 3 3 3 2 3 4 2 2 5 1 .",
    "D": "1 2 3 3 2 4 4 1 2 5 1 .",
}


def _csv(tmp_path: Path, rows: list[str], name: str = "codes.csv") -> Path:
    path = tmp_path / name
    path.write_text("unit,coder,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _krippendorff_rows() -> list[str]:
    return [
        f"u{unit},{coder},{value}"
        for coder, values in KRIPPENDORFF.items()
        for unit, value in enumerate(values.split(), 1)
        if value != "."
    ]


def test_json_gives_every_coefficient(tmp_path: Path) -> None:
    out = StringIO()
    call_command("agreement", str(_csv(tmp_path, _krippendorff_rows())), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) == {
        "units",
        "coders",
        "percent_agreement",
        "cohen_kappa",
        "scott_pi",
        "fleiss_kappa",
        "krippendorff_alpha",
        "gwet_ac1",
    }
    assert result["coders"] == 4
    assert result["cohen_kappa"] is None
    assert round(result["krippendorff_alpha"], 3) == 0.743


def test_interval_level_and_plain_output(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "agreement", str(_csv(tmp_path, _krippendorff_rows())), "--level", "interval", stdout=out
    )
    assert "Krippendorff's alpha   0.8491" in out.getvalue()


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        (["u1,A,1", "u1,A,2", "u1,B,1"], True, "twice"),
        (["u1,A,1", "u2,A,2"], True, "one coder"),
        (["u1,A,1"], False, "header"),
    ],
)
def test_bad_files_fail_with_a_message(
    tmp_path: Path, rows: list[str], header: bool, message: str
) -> None:
    path = tmp_path / "bad.csv"
    text = ("unit,coder,value\n" if header else "") + "\n".join(rows) + "\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("agreement", str(path), "--json", stdout=StringIO())
