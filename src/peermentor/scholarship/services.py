"""Writes for scholarship: importing works (all or nothing), claims, career events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from nameparser import HumanName

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.scholarship.dedupe import Match, WorkKey, find_duplicates
from peermentor.scholarship.importers import read_file
from peermentor.scholarship.matching import AuthorMatch, MemberKey, match_authors
from peermentor.scholarship.models import Authorship, CareerEvent, ImportBatch, Work, WorkSource
from peermentor.scholarship.records import ReadResult, WorkRecord


class ScholarshipError(Exception):
    """A request the scholarship rules do not allow; says why."""


class _DryRun(Exception):
    """Raised inside the import transaction to roll a dry run back."""


@dataclass
class ImportReport:
    """What an import did with each record of a file."""

    file: str
    format: str
    records: int = 0
    imported: int = 0
    merged: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    matched_by_orcid: int = 0
    claims_pending: int = 0
    dry_run: bool = False
    batch_id: int | None = None


def member_keys(users: Iterable[User]) -> list[MemberKey]:
    """How the matcher sees members: ORCID iD and name split into family and given."""
    keys = []
    for user in users:
        name = HumanName(user.name or "")
        orcid = getattr(getattr(user, "profile", None), "orcid", "") or None
        keys.append(
            MemberKey(
                id=user.pk,
                orcid=orcid,
                family=name.last or "",
                given=" ".join(p for p in (name.first, name.middle) if p),
            )
        )
    return keys


def _existing_keys() -> list[WorkKey]:
    first_authors = dict(Authorship.objects.filter(position=1).values_list("work_id", "name"))
    return [
        WorkKey(
            id=pk,
            doi=doi or None,
            pmid=pmid or None,
            title=title,
            year=year,
            first_author_family=HumanName(first_authors.get(pk, "")).last or "",
        )
        for pk, doi, pmid, title, year in Work.objects.values_list(
            "pk", "doi", "pmid", "title", "year"
        )
    ]


def works_import(
    *,
    data: bytes,
    filename: str,
    actor: User | None,
    members: Sequence[User],
    dry_run: bool = False,
) -> ImportReport:
    """Read a file of works, merge duplicates, match authors; save everything or nothing."""
    result = read_file(data, filename=filename)  # WorkFileError: nothing is saved
    report = ImportReport(
        file=filename,
        format=result.format,
        records=len(result.records),
        skipped=list(result.errors),
        warnings=list(result.warnings),
        dry_run=dry_run,
    )
    duplicates = {m.incoming_index: m for m in find_duplicates(_existing_keys(), result.records)}
    matches = match_authors(result.records, member_keys(members))
    try:
        with transaction.atomic():
            _save(result, duplicates, matches, actor, report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        report.batch_id = None
    return report


def _save(
    result: ReadResult,
    duplicates: dict[int, Match],
    matches: list[AuthorMatch],
    actor: User | None,
    report: ImportReport,
) -> None:
    batch = ImportBatch.objects.create(
        imported_by=actor, file_name=report.file[:200], format=result.format
    )
    saved: dict[int, Work] = {}
    for index, record in enumerate(result.records):
        saved[index] = _store(record, duplicates.get(index), saved, report)
        WorkSource.objects.create(
            work=saved[index],
            batch=batch,
            source_format=result.format,
            source_record=record.source_record[:200],
        )
    for match in matches:
        _link_author(saved[match.work_index], match, report)
    batch.records, batch.imported, batch.merged = report.records, report.imported, report.merged
    batch.skipped = len(report.skipped)
    batch.report = {"skipped": report.skipped[:500], "warnings": report.warnings[:500]}
    batch.save()
    report.batch_id = batch.pk
    audit_record(
        action="works.imported",
        actor=actor,
        target=batch,
        records=report.records,
        imported=report.imported,
        merged=report.merged,
    )


def _store(
    record: WorkRecord, duplicate: Match | None, saved: dict[int, Work], report: ImportReport
) -> Work:
    if duplicate is None:
        report.imported += 1
        return _create_work(record)
    report.merged += 1
    if duplicate.existing_id is not None:
        work = Work.objects.get(pk=duplicate.existing_id)
    else:
        work = saved[duplicate.duplicate_of_incoming_index or 0]
    _fill_gaps(work, record)
    return work


def _create_work(record: WorkRecord) -> Work:
    work = Work.objects.create(
        type=record.type,
        title=record.title,
        venue=record.venue[:500],
        year=record.year,
        date=(record.date or "")[:10],
        doi=record.doi or "",
        pmid=record.pmid or "",
    )
    Authorship.objects.bulk_create(
        [
            Authorship(work=work, position=a.position, name=a.name[:300], orcid=a.orcid or "")
            for a in record.authors
        ]
    )
    return work


def _fill_gaps(work: Work, record: WorkRecord) -> None:
    """A merged work keeps what it had and gains identifiers it lacked."""
    changed = []
    for field_name, value in (
        ("doi", record.doi),
        ("pmid", record.pmid),
        ("venue", record.venue),
        ("date", record.date),
    ):
        if value and not getattr(work, field_name):
            if (
                field_name in {"doi", "pmid"}
                and Work.objects.filter(**{field_name: value}).exclude(pk=work.pk).exists()
            ):
                continue
            setattr(work, field_name, value[:500])
            changed.append(field_name)
    if changed:
        work.save(update_fields=changed)
    if not work.authorships.exists():
        Authorship.objects.bulk_create(
            [
                Authorship(work=work, position=a.position, name=a.name[:300], orcid=a.orcid or "")
                for a in record.authors
            ]
        )


def _link_author(work: Work, match: AuthorMatch, report: ImportReport) -> None:
    slot = work.authorships.filter(position=match.author_position).first()
    if slot is None or (slot.member_id and slot.member_id != match.member_id):
        return
    if work.authorships.filter(member_id=match.member_id).exclude(pk=slot.pk).exists():
        return  # already linked to this member elsewhere in the byline
    if slot.claim in {Authorship.Claim.CONFIRMED, Authorship.Claim.REJECTED}:
        return  # the member has decided already
    by_orcid = match.kind == "orcid"
    slot.member_id = match.member_id
    slot.match = Authorship.Match.ORCID if by_orcid else Authorship.Match.NAME
    slot.claim = Authorship.Claim.CONFIRMED if by_orcid else Authorship.Claim.PENDING
    slot.confidence, slot.reason = match.confidence, match.reason[:200]
    slot.save(update_fields=["member", "match", "claim", "confidence", "reason"])
    if by_orcid:
        report.matched_by_orcid += 1
    else:
        report.claims_pending += 1


# --- Claims and career events ----------------------------------------------------------------


def claim_decide(*, authorship: Authorship, user: User, confirm: bool) -> Authorship:
    """The member says "this is me" (it counts from now on) or "not me" (never suggested again)."""
    if authorship.member_id != user.pk:
        raise ScholarshipError("Only the member this work was matched to can decide.")
    authorship.claim = Authorship.Claim.CONFIRMED if confirm else Authorship.Claim.REJECTED
    authorship.save(update_fields=["claim"])
    audit_record(
        action="works.claim_" + ("confirmed" if confirm else "rejected"),
        actor=user,
        target=authorship,
    )
    return authorship


def career_event_add(*, user: User, kind: str, title: str, date: dt.date) -> CareerEvent:
    """Record a promotion, award or leadership role."""
    if kind not in CareerEvent.Kind.values:
        raise ScholarshipError(f"“{kind}” is not a kind of career event.")
    event = CareerEvent.objects.create(user=user, kind=kind, title=title, date=date)
    audit_record(action="career.added", actor=user, target=event, kind=kind)
    return event


def career_event_remove(*, event: CareerEvent, user: User) -> None:
    """Remove one's own career event."""
    if event.user_id != user.pk:
        raise ScholarshipError("Only the member whose event this is can remove it.")
    audit_record(action="career.removed", actor=user, target=event)
    event.delete()


def report_as_dict(report: ImportReport, records: Sequence[WorkRecord] = ()) -> dict[str, Any]:
    """The import report as plain data (for JSON output)."""
    return {
        "file": report.file,
        "format": report.format,
        "records": report.records,
        "imported": report.imported,
        "merged": report.merged,
        "skipped": [{"record": r, "message": m} for r, m in report.skipped],
        "matched_by_orcid": report.matched_by_orcid,
        "claims_pending": report.claims_pending,
        "dry_run": report.dry_run,
    }
