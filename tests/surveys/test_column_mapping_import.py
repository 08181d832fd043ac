"""The column-mapping step of a table import: a question per column, then all or nothing."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peermentor.surveys import pending_uploads
from peermentor.surveys.models import Answer, Question, Response, Wave
from tests.conftest import World, client_for
from tests.surveys.survey_fixtures import open_wave

TABLE = (
    "Record,benefits_gains,Satisfaction,Name\n"
    "r1,It kept me writing,Satisfied,Ann Example\n"
    'r2,=HYPERLINK("http://evil.example"),5,Bob Example\n'
)
MAPPED = {
    "column_0": "respondent",
    "column_1": "benefits_gains",
    "column_2": "ratings_satisfaction",
    "column_3": "ignore",
    "action": "import",
}


@pytest.fixture(autouse=True)
def _private_data_dir(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def _kept_files() -> list[Path]:
    return list(pending_uploads.upload_folder().iterdir())


def _csrf_post(client: Any, url: str, data: dict[str, Any]) -> Any:
    client.get(url)
    return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def _upload(client: Any, world: World, wave: Wave | None, name: str, body: bytes) -> Any:
    data: dict[str, Any] = {"file": SimpleUploadedFile(name, body)}
    if wave is not None:
        data["wave"] = str(wave.pk)
    return _csrf_post(client, reverse("survey_import", args=[world.program.slug]), data)


def _map_url(world: World) -> str:
    return reverse("survey_import_map", args=[world.program.slug])


def test_a_table_is_mapped_column_by_column_then_imported(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    uploaded = _upload(client, world, wave, "answers.csv", TABLE.encode())
    assert uploaded.status_code == 302
    assert uploaded["Location"] == _map_url(world)
    assert len(_kept_files()) == 1
    page = client.get(_map_url(world)).content.decode()
    assert "It kept me writing" in page
    assert "Ann Example" in page
    assert '<option value="benefits_gains" selected>' in page
    done = _csrf_post(client, _map_url(world), MAPPED)
    assert done.status_code == 302
    assert done["Location"] == reverse("wave_detail", args=[wave.pk])
    assert Response.objects.filter(wave=wave).count() == 2
    texts = set(Answer.objects.exclude(text="").values_list("text", flat=True))
    assert texts == {"It kept me writing", '=HYPERLINK("http://evil.example")'}
    assert sorted(Answer.objects.exclude(choices=[]).values_list("choices", flat=True)) == [
        ["4"],
        ["5"],
    ]
    assert not Answer.objects.filter(text__contains="Ann Example").exists()
    assert _kept_files() == []
    assert "No file is waiting" in client.get(_map_url(world)).content.decode()


def test_a_table_without_a_wave_maps_columns_to_new_open_questions(world: World) -> None:
    client = client_for(world.evaluator, csrf=True)
    _upload(client, world, None, "free.csv", b"Name,Thoughts\nAnn,Useful\n")
    done = _csrf_post(
        client, _map_url(world), {"column_0": "ignore", "column_1": "new", "action": "import"}
    )
    assert done.status_code == 302
    wave = Wave.objects.get()
    assert list(wave.instrument.questions.values_list("key", flat=True)) == ["thoughts"]
    assert list(Answer.objects.values_list("text", flat=True)) == ["Useful"]


def test_a_required_question_left_without_a_column_imports_nothing(world: World) -> None:
    wave = open_wave(world)
    Question.objects.filter(instrument=wave.instrument, key="benefits_gains").update(required=True)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.csv", TABLE.encode())
    page = _csrf_post(client, _map_url(world), {**MAPPED, "column_1": "ignore"})
    assert page.status_code == 200
    assert "Question benefits_gains must be answered" in page.content.decode()
    assert not Response.objects.exists()
    assert len(_kept_files()) == 1


def test_a_blank_cell_of_a_required_question_names_file_row_and_column(world: World) -> None:
    wave = open_wave(world)
    Question.objects.filter(instrument=wave.instrument, key="benefits_gains").update(required=True)
    client = client_for(world.director, csrf=True)
    body = TABLE + "r3,,4,Cy Example\n"
    _upload(client, world, wave, "answers.csv", body.encode())
    page = _csrf_post(client, _map_url(world), MAPPED).content.decode()
    assert "answers.csv, row 4, column benefits_gains" in page
    assert not Response.objects.exists()


def test_a_question_mapped_from_two_columns_is_refused(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.csv", TABLE.encode())
    page = _csrf_post(client, _map_url(world), {**MAPPED, "column_3": "benefits_gains"})
    text = page.content.decode()
    assert "Columns “benefits_gains” and “Name” are both mapped to question benefits_gains" in text
    assert not Response.objects.exists()


def test_two_respondent_columns_are_refused(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.csv", TABLE.encode())
    page = _csrf_post(client, _map_url(world), {**MAPPED, "column_3": "respondent"})
    assert "both mapped to the respondent id" in page.content.decode()
    assert not Response.objects.exists()


def test_a_bad_cell_names_the_file_row_and_column_and_saves_nothing(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    body = TABLE + "r3,Fine,Maybe,Cy\n"
    _upload(client, world, wave, "answers.csv", body.encode())
    page = _csrf_post(client, _map_url(world), MAPPED).content.decode()
    assert "answers.csv, row 4, column Satisfaction" in page
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("ragged.csv", b"a,b\n1,2,3\n", "ragged.csv, row 2"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old Excel"),
        ("macro.xlsm", b"PK\x03\x04junk", "macro-enabled"),
        ("zip.csv", b"PK\x03\x04" + b"\0" * 50, "zip.csv: the workbook is damaged"),
        ("empty.csv", b"", "empty"),
        ("twice.csv", b"a,a\n1,2\n", "two columns have this name"),
    ],
)
def test_a_hostile_file_is_refused_at_upload_and_not_kept(
    world: World, name: str, body: bytes, message: str
) -> None:
    wave = open_wave(world)
    page = _upload(client_for(world.evaluator, csrf=True), world, wave, name, body)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert _kept_files() == []
    assert not Response.objects.exists()


def test_column_names_and_samples_are_shown_as_text(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "x.csv", b"note <script>alert(1)</script>\n<b>bold</b>\n")
    page = client.get(_map_url(world)).content.decode()
    assert "note &lt;script&gt;" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_an_xlsx_table_is_mapped_too(world: World) -> None:
    from openpyxl import Workbook

    wave = open_wave(world)
    book = Workbook()
    book.active.append(["benefits_gains", "Other"])
    book.active.append(["Met people", "x"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.xlsx", buffer.getvalue())
    done = _csrf_post(
        client,
        _map_url(world),
        {"column_0": "benefits_gains", "column_1": "ignore", "action": "import"},
    )
    assert done.status_code == 302
    assert list(Answer.objects.values_list("text", flat=True)) == ["Met people"]


def test_cancel_removes_the_kept_file(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.csv", TABLE.encode())
    done = _csrf_post(client, _map_url(world), {"action": "cancel"})
    assert done["Location"] == reverse("survey_import", args=[world.program.slug])
    assert _kept_files() == []


def test_a_mapping_post_without_the_csrf_token_is_refused(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.csv", TABLE.encode())
    assert client.post(_map_url(world), MAPPED).status_code == 403
    assert not Response.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("member", 404), ("outsider", 404), ("other_director", 404), ("admin", 404)],
)
def test_outsiders_do_not_reach_the_mapping_step(world: World, persona: str, status: int) -> None:
    response = client_for(getattr(world, persona)).get(_map_url(world))
    assert response.status_code == status


def test_a_kept_file_belongs_to_the_session_that_uploaded_it(world: World) -> None:
    wave = open_wave(world)
    _upload(client_for(world.director, csrf=True), world, wave, "answers.csv", TABLE.encode())
    page = client_for(world.evaluator).get(_map_url(world)).content.decode()
    assert "No file is waiting" in page
    assert "It kept me writing" not in page


def test_a_forged_session_entry_never_reaches_outside_the_folder(world: World) -> None:
    session = {pending_uploads.SESSION_KEY: {"token": "../../etc/passwd", "user_id": 1}}
    assert pending_uploads.upload_pending(session=session, user_id=1, program_id=1) is None


def test_kept_files_older_than_an_hour_are_deleted(world: World) -> None:
    wave = open_wave(world)
    client = client_for(world.director, csrf=True)
    _upload(client, world, wave, "answers.csv", TABLE.encode())
    (kept,) = _kept_files()
    old = time.time() - pending_uploads.MAX_AGE_SECONDS - 60
    os.utime(kept, (old, old))
    assert pending_uploads.uploads_purge_stale() == 1
    assert "No file is waiting" in client.get(_map_url(world)).content.decode()


def test_the_kept_file_is_private_and_not_under_media(world: World, settings: Any) -> None:
    wave = open_wave(world)
    _upload(client_for(world.director, csrf=True), world, wave, "answers.csv", TABLE.encode())
    (kept,) = _kept_files()
    assert kept.stat().st_mode & 0o077 == 0
    assert Path(settings.MEDIA_ROOT) not in kept.parents
    assert "answers" not in kept.name
