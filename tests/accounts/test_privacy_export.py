"""A member downloads all their data: a ZIP of data.json, index.html and their files."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from peermentor.accounts.privacy import EXPORT_FORMAT, personal_data_export
from tests.accounts.conftest import EMAIL, NAME, Person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _open(content: bytes) -> tuple[dict[str, Any], str, list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    data = json.loads(archive.read("data.json"))
    return data, archive.read("index.html").decode(), archive.namelist()


def _rows(data: dict[str, Any], label: str) -> list[dict[str, Any]]:
    return data["records"][label]["rows"]


def test_the_export_holds_every_kind_of_personal_record(person: Person) -> None:
    data, _, names = _open(personal_data_export(user=person.user))
    assert {"data.json", "index.html", "README.txt"} <= set(names)
    assert data["format"] == EXPORT_FORMAT
    assert data["person"] == {"id": person.user.pk, "email": EMAIL, "name": NAME}
    for label in (
        "accounts.Profile", "programs.Membership", "meetings.Attendance", "meetings.AgendaItem",
        "meetings.ActionItem", "goals.Goal", "goals.GoalCheckIn", "scholarship.Authorship",
        "scholarship.Work", "surveys.Response", "surveys.Answer", "programs.Invitation",
        "core.AuditEntry", "enrolment.Application", "api.ApiToken", "qualitative.Coder",
        "qualitative.Memo", "meetings.CalendarFeed", "surveys.WaveInvitee",
    ):  # fmt: skip
        assert _rows(data, label), f"{label} is missing from the export"
    assert _rows(data, "accounts.Profile")[0]["orcid"] == "0000-0002-1825-0097"
    assert {r["title"] for r in _rows(data, "goals.Goal")} == {"Write a grant"}


def test_identified_answers_are_in_it_and_anonymous_ones_cannot_be(person: Person) -> None:
    data, _, _ = _open(personal_data_export(user=person.user))
    texts = [row["text"] for row in _rows(data, "surveys.Answer")]
    assert len(texts) == 2
    assert all("Year" in text for text in texts)
    assert person.anonymous_answer.text not in json.dumps(data)
    assert any("anonymous surveys" in line for line in data["not_included"])


def test_notes_come_only_where_the_person_saved_them(person: Person) -> None:
    data, _, _ = _open(personal_data_export(user=person.user))
    meetings = {row["id"]: row for row in _rows(data, "meetings.Meeting")}
    assert "presented her grant" in meetings[person.meeting.pk]["notes"]
    others = [row for pk, row in meetings.items() if pk != person.meeting.pk]
    assert others
    assert all("notes" not in row for row in others)
    assert "Group-only notes" not in json.dumps(data)


def test_secrets_are_never_exported(person: Person) -> None:
    from peermentor.api.models import ApiToken
    from peermentor.programs.models import Invitation

    data, _, _ = _open(personal_data_export(user=person.user))
    text = json.dumps(data)
    assert "password" not in _rows(data, "accounts.User")[0]
    assert person.user.password not in text
    assert ApiToken.objects.get(user=person.user).token_hash not in text
    assert Invitation.objects.get(email=EMAIL).nonce not in text
    assert _rows(data, "api.ApiToken")[0]["prefix"] == "pm_x"


def test_the_readable_page_escapes_what_people_typed(person: Person) -> None:
    profile = person.user.profile
    profile.department = "<script>alert(1)</script>"
    profile.save()
    _, index, _ = _open(personal_data_export(user=person.user))
    assert "<script>" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    assert "Write a grant" in index


def test_shared_files_join_the_zip(person: Person, settings: Any, tmp_path: Any) -> None:
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    person.resource.kind = "file"
    person.resource.file.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=True)
    archive = zipfile.ZipFile(io.BytesIO(personal_data_export(user=person.user)))
    files = [name for name in archive.namelist() if name.startswith("files/")]
    assert len(files) == 1
    assert archive.read(files[0]) == b"%PDF-1.4 slides"


def test_each_export_is_audited(person: Person) -> None:
    from peermentor.core.models import AuditEntry

    personal_data_export(user=person.user)
    entry = AuditEntry.objects.get(action="privacy.exported")
    assert entry.actor == person.user
    assert entry.target_id == str(person.user.pk)


def test_the_download_page_sends_the_zip_to_its_owner_only(person: Person) -> None:
    client = client_for(person.user, csrf=True)
    page = client.get("/account/data/")
    assert page.status_code == 200
    assert b"Download my data" in page.content
    response = client.post("/account/data/export/", {"csrfmiddlewaretoken": _token(client)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    data, _, _ = _open(response.content)
    assert data["person"]["email"] == EMAIL
    assert client.get("/account/data/export/").status_code == 405


def _token(client: Any) -> str:
    client.get("/account/data/")
    return client.cookies["csrftoken"].value


def test_the_export_query_count_does_not_grow_with_the_data(person: Person) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from peermentor.goals.models import Goal

    with CaptureQueriesContext(connection) as small:
        personal_data_export(user=person.user)
    group = person.meeting.group
    for n in range(20):
        Goal.objects.create(owner=person.user, group=group, title=f"Goal {n}", category="career")
    with CaptureQueriesContext(connection) as large:
        data, _, _ = _open(personal_data_export(user=person.user))
    assert len(_rows(data, "goals.Goal")) == 21
    assert len(large.captured_queries) == len(small.captured_queries)
