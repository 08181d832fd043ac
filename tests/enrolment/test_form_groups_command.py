"""`peermentor form-groups`: the JSON it prints, and a clear message for each bad input."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "id,career_stage,department,interests,availability,exclude,balance:gender\n"


def _rows(n: int, seniors: int = 0) -> str:
    return "".join(
        f"p{i},{'senior' if i < seniors else 'junior'},Dept {i % 3},writing;grants,"
        f"Tue07;Thu12,,{'woman' if i % 2 else 'man'}\n"
        for i in range(n)
    )


def _run(tmp_path: Path, text: str, *args: str) -> str:
    path = tmp_path / "intake.csv"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("form-groups", str(path), *args, stdout=out)
    return out.getvalue()


def test_json_has_the_keys_the_issue_names(tmp_path: Path) -> None:
    out = _run(tmp_path, HEADER + _rows(8, seniors=2), "--min", "3", "--max", "5",
               "--senior-per-group", "--seconds", "1", "--json")  # fmt: skip
    result = json.loads(out)
    assert set(result) == {"groups", "objective", "lowest_group_score", "bound", "isolated",
                           "seconds"}  # fmt: skip
    assert sorted(p for g in result["groups"] for p in g) == sorted(f"p{i}" for i in range(8))
    assert all(sum(p in ("p0", "p1") for p in g) == 1 for g in result["groups"])
    assert result["bound"] >= result["objective"] >= result["lowest_group_score"]
    assert result["isolated"] == 0
    assert 0 < result["seconds"] <= 2


def test_plain_output_explains_each_group(tmp_path: Path) -> None:
    out = _run(tmp_path, HEADER + _rows(6), "--min", "3", "--max", "3", "--seconds", "1")
    assert "Group 1 (score" in out
    assert "common hours Tue 07:00, Thu 12:00" in out
    assert "Total score" in out
    assert "lowest group score" in out


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("id,career_stage,department\np1,junior,x\n", (),
         "line 1: missing columns: interests, availability, exclude"),
        (HEADER + "p1,junior,x,a,Tue7,,\n", (),
         "line 2, column 'availability': unknown slot 'Tue7'"),
        (HEADER + "p1,junior,x,a,Tue07,,\np1,junior,x,a,Tue07,,\n", (),
         "line 3, column 'id': id 'p1' is already used on line 2"),
        (HEADER + "p1,junior,x,a,Tue07,p9,\n", (),
         "line 2, column 'exclude': excludes 'p9', who is not in the file"),
        (HEADER + "p1,chief,x,a,Tue07,,\n", (), "career stage 'chief' is not junior or senior"),
        (HEADER + _rows(3), (), "too few applicants: 3 cannot fill one group of at least 4"),
        (HEADER + _rows(8, seniors=1), ("--senior-per-group",),
         "too few seniors for one per group: 1 seniors"),
        (HEADER + "a,junior,x,,,b;c,\nb,junior,x,,,c,\nc,junior,x,,,,\nd,junior,x,,,,\n",
         ("--min", "2", "--max", "4"),
         "must all be in different groups, but there is only 1 group"),
    ],
)  # fmt: skip
def test_bad_input_gets_a_clear_message_and_status_one(
    tmp_path: Path, text: str, args: tuple[str, ...], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        _run(tmp_path, text, "--min", "4", "--max", "5", "--seconds", "1", *args)
    assert message in str(error.value)
    assert error.value.returncode == 1


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("form-groups", str(tmp_path / "none.csv"), "--min", "2", "--max", "3")
