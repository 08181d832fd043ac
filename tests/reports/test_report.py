"""The program evaluation report: made in the background, kept, edited, and only for staff."""

from __future__ import annotations

import datetime as dt
import re
import zlib
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import World, client_for

PUBLISHED_BENEFITS = [
    "Workplace satisfaction",
    "Social connection",
    "Productivity and personal growth",
    "Synergy, collaboration and diversity of thought",
    "Involvement in professional activities",
    "Peer discussion in a safe environment",
    "Accountability and motivation",
]
PUBLISHED_UNDESIRABLE = [
    "Exclusivity",
    "Lack of hierarchy",
    "Scheduling of meetings",
    "No intentional curriculum",
    "Diverse and competing interests",
    "Personal–professional enmeshment",
    "Loss of focus from personal matters",
]


def pdf_page_count(data: bytes) -> int:
    """Pages in a PDF, read from its page objects (also inside compressed object streams)."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", chunk)) for chunk in chunks)


def make(world: World, **extra: Any) -> Any:
    client = client_for(world.director)
    data = {"since": "2017-01-01", "until": "2023-12-31", "group": "", **extra}
    response = client.post(reverse("report_create", args=[world.program.slug]), data)
    assert response.status_code == 302, response.content[:500]
    from peermentor.reports.models import Report

    return Report.objects.latest("created_at")


def add_themes(world: World) -> None:
    """Coded answers of four respondents with themes of both polarities, one quote hidden."""
    from peermentor.qualitative.models import Code, Coder, Exemplar, Segment, Source, Theme
    from peermentor.surveys.models import Instrument, Wave

    program = world.program
    instrument = Instrument.objects.create(program=program, name="Close-out questions")
    wave = Wave.objects.create(
        program=program,
        instrument=instrument,
        title="Close-out 2021",
        opens_on=dt.date(2021, 6, 1),
        closes_on=dt.date(2021, 6, 30),
    )
    coder = Coder.objects.create(program=program, kind="person", name="Coder One")
    codes = {}
    for name, polarity in [("support", "benefit"), ("scheduling", "undesirable")]:
        codes[name] = Code.objects.create(program=program, name=name, polarity=polarity)
    sources = [
        Source.objects.create(
            program=program,
            wave=wave,
            respondent=f"R0{i}",
            name=f"R0{i}",
            text=f"Answer {i} about support and scheduling.",
        )
        for i in range(1, 5)
    ]
    for i, source in enumerate(sources):
        Segment.objects.create(source=source, code=codes["support"], coder=coder, start=0, end=8)
        if i < 2:
            Segment.objects.create(
                source=source, code=codes["scheduling"], coder=coder, start=0, end=8
            )
    for name, polarity, code in [
        (PUBLISHED_BENEFITS[1], "benefit", "support"),
        (PUBLISHED_UNDESIRABLE[2], "undesirable", "scheduling"),
    ]:
        theme = Theme.objects.create(program=program, name=name, polarity=polarity)
        theme.codes.add(codes[code])
    benefit = Theme.objects.get(name=PUBLISHED_BENEFITS[1])
    Exemplar.objects.create(
        theme=benefit,
        source=sources[0],
        quote="We had each other's backs.",
        respondent="R01",
        published=True,
    )
    Exemplar.objects.create(
        theme=benefit,
        source=sources[1],
        quote="A private remark.",
        respondent="R02",
        published=False,
    )


def test_director_makes_a_report_and_gets_html_and_pdf(history: World) -> None:
    report = make(history)
    assert report.status == "done"
    assert report.progress == 100
    assert report.requested_by == history.director
    client = client_for(history.director)
    detail = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert 'value="100"' in detail
    assert "Download the PDF" in detail
    pdf = client.get(reverse("report_file", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    body = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert body.startswith(b"%PDF")
    assert pdf_page_count(body) == report.pdf_pages >= 3
    html = client.get(reverse("report_file", args=[report.pk, "html"]))
    text = html.content.decode()
    for heading in (
        "1. The program",
        "2. Methods",
        "3. Results",
        "4. Conclusions",
        "Reporting checklist (SRQR)",
    ):
        assert heading in text
    assert "script" not in html["Content-Security-Policy"]
    listing = client.get(reverse("report_list", args=[history.program.slug])).content.decode()
    assert history.director.name in listing
    assert "Ready" in listing


def test_report_figures_describe_the_group(history: World) -> None:
    report = make(history, group=str(history.group.pk))
    c = report.content
    assert c["description"]["people"]["people"] == 3
    assert c["description"]["meetings_held"] == 4
    assert c["attendance"]["recorded"] == 12
    assert c["attendance"]["present"] == 8
    assert c["retention"]["members"] == 3
    assert c["retention"]["dropped"] == 0
    # Works: one a year alone before 2020, three authors a year from 2020 (joined 2020-01-06).
    assert c["scholarship"]["pooled"]["ratio"] > 1
    assert c["scholarship"]["new_ties"] == 3


def test_only_published_quotes_reach_the_report(history: World) -> None:
    add_themes(history)
    report = make(history)
    benefits = {t["name"]: t for t in report.content["benefits"]}
    undesirable = {t["name"]: t for t in report.content["undesirable"]}
    assert benefits["Social connection"]["respondents"] == 4
    assert undesirable["Scheduling of meetings"]["respondents"] == 2
    assert "We had each other&#x27;s backs." in report.html
    assert "A private remark." not in report.html
    assert "Coder One" not in report.html  # coders are counted, not named


def test_srqr_checklist_has_21_items_filled_where_known(history: World) -> None:
    add_themes(history)
    items = make(history).content["srqr"]
    assert [i["number"] for i in items] == list(range(1, 22))
    filled = {i["number"] for i in items if i["filled"]}
    assert {4, 7, 12, 13, 14, 16, 17} <= filled
    assert not {1, 2, 9, 20, 21} & filled


def test_conclusions_are_stored_and_written_into_the_files(history: World) -> None:
    report = make(history)
    pages = report.pdf_pages
    client = client_for(history.evaluator, csrf=False)
    response = client.post(
        reverse("report_conclusions", args=[report.pk]),
        {"conclusions": "Keep the groups small.\n\nAdd a curriculum <b>option</b>."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.conclusions_by == history.evaluator
    assert report.status == "done"
    assert report.pdf_pages >= pages
    assert "<p>Keep the groups small.</p>" in report.html
    assert "&lt;b&gt;option&lt;/b&gt;" in report.html  # escaped, never markup


def test_bad_period_is_refused_with_a_message(history: World) -> None:
    client = client_for(history.director)
    response = client.post(
        reverse("report_create", args=[history.program.slug]),
        {"since": "2023-01-01", "until": "2020-01-01", "group": ""},
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_group_of_another_program_cannot_be_chosen(history: World) -> None:
    client = client_for(history.director)
    response = client.post(
        reverse("report_create", args=[history.program.slug]),
        {"since": "2020-01-01", "until": "2021-01-01", "group": str(history.far_group.pk)},
    )
    assert response.status_code == 400


def test_member_cannot_read_a_report_even_with_its_number(history: World) -> None:
    report = make(history)
    for persona in ("member", "senior", "outsider", "other_director"):
        client = client_for(history.persona(persona))
        assert client.get(reverse("report_file", args=[report.pk, "pdf"])).status_code == 404


def test_command_writes_pdf_and_html(history: World, tmp_path: Any) -> None:
    pdf, html = tmp_path / "r.pdf", tmp_path / "r.html"
    call_command(
        "report",
        "--program",
        history.program.slug,
        "--from",
        "2019-01-01",
        "--to",
        "2023-12-31",
        "--pdf",
        str(pdf),
        "--html",
        str(html),
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "3. Results" in html.read_text()


@pytest.mark.django_db
def test_command_says_what_is_wrong() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No program has the slug 'nope'"):
        call_command("report", "--program", "nope")


@pytest.mark.django_db
def test_command_refuses_a_bad_date(world: World) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="is not a date"):
        call_command("report", "--program", world.program.slug, "--from", "31/12/2010")


def test_a_failed_report_says_so(history: World, monkeypatch: Any) -> None:
    from peermentor.reports import services

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "report_content", broken)
    make(history)  # the task fails; the request still succeeds and shows the result
    from peermentor.reports.models import Report

    report = Report.objects.latest("created_at")
    assert report.status == "failed"
    assert "server log" in report.error
