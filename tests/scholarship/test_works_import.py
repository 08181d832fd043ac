"""Importing works through the application: all or nothing, merged, matched, claimed."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from peermentor.accounts.models import Profile
from peermentor.scholarship import selectors, services
from peermentor.scholarship.models import Authorship, ImportBatch, Work, WorkSource
from peermentor.scholarship.records import WorkFileError
from tests.conftest import World, client_for

BIBTEX = """@article{rivera2008,
  author = {Rivera, Alex and Okafor, Blair and Outsider, Olga},
  title = {Teaching residents to teach: a workshop evaluation},
  journal = {Academic Psychiatry},
  year = {2008},
  doi = {10.1000/example.2008.1}
}
@article{rivera2009,
  author = {Rivera, A. and Novak, F.},
  title = {Simulation in geriatric psychiatry},
  journal = {Medical Teacher},
  year = {2009}
}
"""
RIS_DUPLICATE = """TY  - JOUR
AU  - Rivera, Alex
AU  - Okafor, Blair
TI  - Teaching residents to teach: a workshop evaluation
JO  - Academic Psychiatry
PY  - 2008
DO  - https://doi.org/10.1000/EXAMPLE.2008.1
ER  - 
"""


@pytest.fixture
def named(world: World) -> World:
    """Members with real-looking names; one of them with an ORCID iD."""
    for user, name in ((world.member, "Alex Rivera"), (world.other_member, "Blair Okafor")):
        user.name = name
        user.save()
    profile = Profile.objects.get(user=world.other_member)
    profile.orcid = "0000-0002-1825-0097"
    profile.save()
    world.other_member.profile = profile
    return world


def _members(world: World) -> list[Any]:
    return [world.member, world.other_member, world.senior]


def test_import_creates_works_and_name_matches_wait_for_a_claim(named: World) -> None:
    report = services.works_import(
        data=BIBTEX.encode(), filename="mine.bib", actor=named.member, members=_members(named)
    )
    assert (report.records, report.imported, report.merged) == (2, 2, 0)
    assert report.claims_pending == 3  # Rivera twice, Okafor once: all by name
    assert not selectors.my_works(user=named.member).exists()
    for authorship in selectors.claim_queue(user=named.member):
        services.claim_decide(authorship=authorship, user=named.member, confirm=True)
    assert selectors.my_works(user=named.member).count() == 2


def test_the_same_work_from_another_source_merges_and_keeps_both_sources(named: World) -> None:
    services.works_import(
        data=BIBTEX.encode(), filename="mine.bib", actor=named.member, members=_members(named)
    )
    report = services.works_import(
        data=RIS_DUPLICATE.encode(),
        filename="endnote.ris",
        actor=named.member,
        members=_members(named),
    )
    assert (report.imported, report.merged) == (0, 1)
    work = Work.objects.get(doi="10.1000/example.2008.1")
    assert sorted(WorkSource.objects.filter(work=work).values_list("source_format", flat=True)) == [
        "bibtex",
        "ris",
    ]
    assert Work.objects.count() == 2


def test_orcid_matches_count_at_once(named: World) -> None:
    csv = (
        "type,title,venue,year,doi,pmid,authors\n"
        "journal_article,Peer mentoring outcomes,Acad Med,2012,,,"
        '"Okafor, Blair [0000-0002-1825-0097]; Rivera, Alex"\n'
    )
    report = services.works_import(
        data=csv.encode(), filename="works.csv", actor=named.director, members=_members(named)
    )
    assert report.matched_by_orcid == 1
    assert selectors.my_works(user=named.other_member).count() == 1
    assert Authorship.objects.get(member=named.member).claim == "pending"


def test_a_rejected_claim_is_not_suggested_again(named: World) -> None:
    services.works_import(
        data=BIBTEX.encode(), filename="a.bib", actor=None, members=_members(named)
    )
    for authorship in selectors.claim_queue(user=named.member):
        services.claim_decide(authorship=authorship, user=named.member, confirm=False)
    services.works_import(
        data=RIS_DUPLICATE.encode(), filename="b.ris", actor=None, members=_members(named)
    )
    assert not selectors.claim_queue(user=named.member).exists()


def test_only_the_matched_member_decides(named: World) -> None:
    services.works_import(
        data=BIBTEX.encode(), filename="a.bib", actor=None, members=_members(named)
    )
    authorship = selectors.claim_queue(user=named.member).first()
    with pytest.raises(services.ScholarshipError, match="Only the member"):
        services.claim_decide(authorship=authorship, user=named.other_member, confirm=True)


def test_dry_run_saves_nothing(named: World) -> None:
    report = services.works_import(
        data=BIBTEX.encode(), filename="a.bib", actor=None, members=_members(named), dry_run=True
    )
    assert report.imported == 2
    assert not Work.objects.exists()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "bomb.xml",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;">]><PubmedArticleSet>&lol2;'
            b"</PubmedArticleSet>",
            "entit",
        ),
        (
            "xxe.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            b"<PubmedArticleSet>&e;</PubmedArticleSet>",
            "entit",
        ),
        ("binary.ris", bytes(range(256)) * 50, "binary"),
        ("huge.bib", b"@article{x," + b" " * (50 * 1024 * 1024 + 1), "MB"),
    ],
)
def test_hostile_files_are_refused_and_nothing_is_saved(
    named: World, name: str, data: bytes, message: str
) -> None:
    with pytest.raises(WorkFileError, match=message):
        services.works_import(data=data, filename=name, actor=None, members=_members(named))
    assert not Work.objects.exists()


def test_upload_page_shows_the_report_and_a_clear_error(named: World) -> None:
    client = client_for(named.member)
    ok = client.post(
        reverse("works_import"), {"file": SimpleUploadedFile("mine.bib", BIBTEX.encode())}
    )
    assert "New works" in ok.content.decode()
    bad = client.post(
        reverse("works_import"),
        {"file": SimpleUploadedFile("notes.txt", b"just some notes\nnothing else")},
    )
    assert bad.status_code == 400
    assert "notes.txt" in bad.content.decode()
    assert "Nothing was saved" in bad.content.decode()


def test_command_prints_json_and_fails_cleanly(named: World, tmp_path: Path) -> None:
    good = tmp_path / "mine.bib"
    good.write_text(BIBTEX, encoding="utf-8")
    out = StringIO()
    call_command("import-works", str(good), "--dry-run", "--json", stdout=out)
    parsed = json.loads(out.getvalue())
    [entry] = parsed["files"]
    assert entry["format"] == "bibtex"
    assert [r["year"] for r in entry["records"]] == [2008, 2009]
    assert entry["records"][0]["doi"] == "10.1000/example.2008.1"
    assert entry["records"][0]["authors"][0] == {"name": "Alex Rivera", "orcid": None}
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<not-pubmed/>")
    with pytest.raises(CommandError):
        call_command("import-works", str(good), str(bad), "--program", "psych")
    assert not Work.objects.exists(), "one unreadable file: nothing saved"
    call_command("import-works", str(good), "--program", "psych", stdout=StringIO())
    assert Work.objects.count() == 2


def test_group_page_shows_rates_and_shared_works(named: World) -> None:
    import datetime as dt

    from peermentor.programs.models import Membership

    Membership.objects.filter(group=named.group).update(joined_on=dt.date(2008, 1, 1))
    services.works_import(
        data=BIBTEX.encode(), filename="a.bib", actor=None, members=_members(named)
    )
    for user in (named.member, named.other_member):
        for authorship in selectors.claim_queue(user=user):
            services.claim_decide(authorship=authorship, user=user, confirm=True)
    data = selectors.group_scholarship(group=named.group)
    assert [w.title for w in data.shared_works] == [
        "Teaching residents to teach: a workshop evaluation"
    ]
    assert data.pairs[0][2] == 1
    page = client_for(named.senior).get(reverse("group_works", args=[named.group.pk]))
    html = page.content.decode()
    assert "data:image/svg+xml;base64," in html
    assert "Alex Rivera and Blair Okafor" in html
