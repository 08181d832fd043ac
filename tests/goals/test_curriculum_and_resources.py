"""The optional curriculum and the resources board, with hostile uploads refused."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from peermentor.goals import selectors, services
from peermentor.goals.models import CurriculumTopic, Resource
from peermentor.goals.starter_topics import STARTER_TOPICS
from peermentor.goals.uploads import UploadRefused, check_upload
from peermentor.meetings import services as meetings
from peermentor.meetings.models import AgendaItem
from tests.conftest import World, client_for


def test_starter_set_loads_once(world: World) -> None:
    assert services.topics_load_starter_set(program=world.program, actor=world.director) == 8
    assert services.topics_load_starter_set(program=world.program, actor=world.director) == 0
    titles = list(world.program.topics.values_list("title", flat=True))
    assert titles == [t.title for t in STARTER_TOPICS]
    assert "Promotion and the educator portfolio" in titles


def test_adopting_a_topic_puts_it_on_the_meeting_agenda(world: World) -> None:
    services.topics_load_starter_set(program=world.program, actor=world.director)
    topic = world.program.topics.get(title="Grant writing")
    meeting = meetings.meeting_create(
        group=world.group, actor=world.member, starts_at=timezone.now() + dt.timedelta(days=14)
    )
    plan = services.topic_adopt(
        group=world.group, topic=topic, meeting=meeting, actor=world.other_member, minutes=40
    )
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.kind, item.title, item.minutes) == ("curriculum", "Grant writing", 40)
    assert list(selectors.year_plan(group=world.group)) == [plan]
    with pytest.raises(services.GoalError, match="planned for that meeting already"):
        services.topic_adopt(group=world.group, topic=topic, meeting=meeting, actor=world.member)
    services.topic_unplan(plan=plan, actor=world.member)
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_topics_of_another_program_cannot_be_adopted(world: World) -> None:
    foreign = CurriculumTopic.objects.create(
        program=world.other_program, title="X", description="y"
    )
    meeting = meetings.meeting_create(
        group=world.group, actor=world.member, starts_at=timezone.now() + dt.timedelta(days=14)
    )
    with pytest.raises(services.GoalError, match="another program"):
        services.topic_adopt(group=world.group, topic=foreign, meeting=meeting, actor=world.member)


def test_duplicate_topic_title_is_reported(world: World) -> None:
    fields = {"title": "Grants", "description": "d", "questions": "", "resources": ""}
    services.topic_save(program=world.program, actor=world.director, **fields)
    with pytest.raises(services.GoalError, match="has a topic called"):
        services.topic_save(program=world.program, actor=world.director, **fields)


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("call.pdf", b"%PDF-1.7 x"),
        ("notes.txt", "Café ☕".encode()),
        ("cv.docx", _docx()),
        ("photo.png", b"\x89PNG\r\n\x1a\n..."),
    ],
)
def test_allowed_files_pass(name: str, data: bytes) -> None:
    assert check_upload(name, data).size == len(data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "at most 10 MB"),
        ("script.exe", b"MZ\x90\x00", "cannot be shared"),
        ("page.html", b"<script>alert(1)</script>", "cannot be shared"),
        ("fake.pdf", b"<html>not a pdf</html>", "does not contain what its name says"),
        ("fake.docx", b"PK\x03\x04 not really", "does not contain what its name says"),
        ("../../etc/passwd.txt", b"root", "not allowed"),
        ("..\\evil.txt", b"x", "not allowed"),
        (".hidden.txt", b"x", "not allowed"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_hostile_files_are_refused(name: str, data: bytes, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        check_upload(name, data)


def test_refused_upload_saves_nothing(world: World) -> None:
    with pytest.raises(UploadRefused):
        services.resource_post(
            group=world.group,
            actor=world.member,
            kind="file",
            title="Bad",
            file_name="x.exe",
            file_data=b"MZ",
        )
    assert not Resource.objects.exists()


def test_files_are_stored_under_generated_names_and_served_as_downloads(world: World) -> None:
    client = client_for(world.member)
    client.post(
        reverse("resource_board", args=[world.group.pk]),
        {
            "kind": "file",
            "title": "Grant call",
            "file": SimpleUploadedFile('call "final";.pdf', b"%PDF-1.4 body", "application/pdf"),
        },
    )
    resource = Resource.objects.get()
    assert resource.original_name == 'call "final";.pdf'
    assert "call" not in resource.file.name
    response = client_for(world.other_member).get(reverse("resource_download", args=[resource.pk]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert '"final"' not in disposition.split("filename*=")[0]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 body"
    assert (
        client_for(world.outsider).get(reverse("resource_download", args=[resource.pk])).status_code
        == 404
    )


def test_board_form_reports_an_oversized_file(world: World) -> None:
    response = client_for(world.member).post(
        reverse("resource_board", args=[world.group.pk]),
        {
            "kind": "file",
            "title": "Huge",
            "file": SimpleUploadedFile("huge.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024 + 1)),
        },
    )
    assert "at most 10 MB" in response.content.decode()
    assert not Resource.objects.exists()


def test_deadlines_reach_the_members_home_page(world: World) -> None:
    services.resource_post(
        group=world.group,
        actor=world.member,
        kind="opportunity",
        title="Education award",
        url="https://example.org/award",
        opportunity="award",
        deadline=timezone.localdate() + dt.timedelta(days=20),
    )
    page = client_for(world.senior).get(reverse("home")).content.decode()
    assert "Education award" in page
    assert "Education award" not in client_for(world.outsider).get(reverse("home")).content.decode()


def test_only_the_poster_removes_a_resource(world: World, mailoutbox: Any) -> None:
    resource = services.resource_post(
        group=world.group,
        actor=world.member,
        kind="link",
        title="Article",
        url="https://example.org/a",
    )
    with pytest.raises(services.GoalError, match="Only the member who shared"):
        services.resource_remove(resource=resource, actor=world.other_member)
    services.resource_remove(resource=resource, actor=world.member)
    assert not Resource.objects.exists()


def test_topic_rules_follow_the_topics_program_not_its_id(world: World) -> None:
    """A topic's id may equal another program's id: the rule must look at the topic's program."""
    from peermentor.core.authorization import allowed

    topic = CurriculumTopic.objects.create(program=world.other_program, title="T", description="d")
    assert allowed(world.other_director, "goals.see_topics", topic)
    assert not allowed(world.member, "goals.see_topics", topic)
    assert not allowed(world.director, "goals.manage_topics", topic)
