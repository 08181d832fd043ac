"""What PeerMentor does with every kind of record when a person downloads their data or leaves.

``RULES`` holds one ``Rule`` for **every** model of every peermentor app (a test fails when a
model is missing): how it is handled on deletion, why, and which of its rows are the person's
(those are exported). ``personal_data_export`` and ``account_delete`` walk the registry, so a
record kind cannot be forgotten by one and remembered by the other.

Models are named by label and resolved through the app registry: accounts sits at the bottom of
the import layers (see pyproject.toml) and must not import the feature apps it covers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.utils import timezone

from peermentor.core.audit import audit_record

EXPORT_FORMAT = "peermentor-personal-data/1"
# Same length as what it replaces, so offsets into coded answer text stay valid.
MASK = "\u2588"
FORMER_MEMBER = "Former member"
FORMER_EVALUATOR = "Former evaluator"


class Handling(enum.StrEnum):
    """What happens to a kind of record when its person deletes their account."""

    DELETE = "delete"  # the person's own record: exported, then deleted
    ANONYMISE = "anonymise"  # a shared group or program record: kept, the link to the person cut
    KEEP_PSEUDONYMOUS = "keep-pseudonymous"  # research or audit data kept with no name
    NOT_PERSONAL = "not-personal"  # holds nobody's personal data


@dataclass(frozen=True)
class Erasure:
    """The choices a person made on the deletion page."""

    keep_research_waves: frozenset[int] = frozenset()


Lookup = Callable[[Any], Q]
Step = Callable[[type[models.Model], Any, Erasure], int]
Shape = Callable[[models.Model, Any, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    """How one model is exported and what deletion does with it."""

    handling: Handling
    why: str
    mine: Lookup | None = None  # the rows exported as the person's data
    erase: Step | None = None  # a step beyond the foreign keys' own on_delete
    secret: tuple[str, ...] = ()  # fields never exported (hashes, nonces)
    shape: Shape | None = None  # last change to an exported row
    files: tuple[str, ...] = field(default=())  # file fields whose files join the ZIP


# --- Lookups and steps used by the rules -------------------------------------------------------


def _by(*paths: str) -> Lookup:
    """Rows whose any of these foreign-key paths points at the person."""

    def lookup(user: Any) -> Q:
        query = Q()
        for path in paths:
            query |= Q(**{path: user})
        return query

    return lookup


def _delete_mine(model: type[models.Model], user: Any, erasure: Erasure) -> int:
    mine = RULES[model._meta.label].mine
    if mine is None:
        raise ValueError(f"{model._meta.label} deletes the person's rows but does not say which.")
    deleted, _ = model._default_manager.filter(mine(user)).delete()
    return deleted


def _invitations_to(user: Any) -> Q:
    return Q(email__iexact=user.email) | Q(accepted_by=user)


def _applications_of(user: Any) -> Q:
    return Q(user=user) | Q(email__iexact=user.email)


def _audit_about(user: Any) -> Q:
    return Q(actor=user) | Q(target_type="accounts.user", target_id=str(user.pk))


def _meetings_of(user: Any) -> Q:
    return (
        Q(attendance__user=user)
        | Q(facilitator=user)
        | Q(timekeeper=user)
        | Q(notes_updated_by=user)
    )


def _notes_only_if_written(row: models.Model, user: Any, data: dict[str, Any]) -> dict[str, Any]:
    # Notes are the group's shared record: a person gets the text they last saved, not others'.
    if getattr(row, "notes_updated_by_id", None) != user.pk:
        data.pop("notes", None)
    return data


def _authorships_anonymise(model: type[models.Model], user: Any, erasure: Erasure) -> int:
    rows = model._default_manager.filter(member=user)
    # A rejected match was never this person's name: only the link goes.
    rejected = rows.filter(claim="rejected").update(member=None, claim="", reason="")
    named = rows.exclude(claim="rejected").update(
        member=None, name=FORMER_MEMBER, orcid="", match="", claim="", confidence=None, reason=""
    )
    return rejected + named


def _coders_anonymise(model: type[models.Model], user: Any, erasure: Erasure) -> int:
    return model._default_manager.filter(user=user).update(user=None, name=FORMER_EVALUATOR)


def _responses_erase(model: type[models.Model], user: Any, erasure: Erasure) -> int:
    """Identified answers go, with the workbench sources cut from them, unless the person kept
    them for the research their consent described; then only the name goes."""
    mine = model._default_manager.filter(respondent=user)
    kept = mine.filter(wave_id__in=erasure.keep_research_waves).update(respondent=None)
    dropped = mine.exclude(wave_id__in=erasure.keep_research_waves)
    if apps.is_installed("peermentor.qualitative"):
        source = apps.get_model("qualitative", "Source")
        source._default_manager.filter(answer__response__in=dropped).delete()
    deleted, _ = dropped.delete()
    return kept + deleted


# --- The registry ------------------------------------------------------------------------------

_OWN = "The person's own record."
_SHARED = "A shared record: kept for the others, shown as written by a former member."

RULES: dict[str, Rule] = {
    # core
    "core.AuditEntry": Rule(
        Handling.KEEP_PSEUDONYMOUS,
        "The append-only audit log keeps its entries (they hold ids, never text); the actor link "
        "is cut by the foreign key, so an entry no longer names anyone.",
        mine=_audit_about,
    ),
    # accounts
    "accounts.User": Rule(
        Handling.DELETE, "The account itself.", mine=lambda u: Q(pk=u.pk), secret=("password",)
    ),
    "accounts.Profile": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    # programs
    "programs.Program": Rule(Handling.NOT_PERSONAL, "A program: name and description."),
    "programs.ProgramRole": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    "programs.Group": Rule(Handling.NOT_PERSONAL, "A group: name, time zone and dates."),
    "programs.Membership": Rule(
        Handling.DELETE,
        "The person's time in a group. Deleted: in a group of seven a 'former member' row "
        "would still say who it was.",
        mine=_by("user"),
    ),
    "programs.Invitation": Rule(
        Handling.DELETE,
        "Invitations sent to the person's e-mail address; ones they sent stay, unsigned.",
        mine=_invitations_to,
        erase=_delete_mine,
        secret=("nonce",),
    ),
    "programs.Charter": Rule(Handling.ANONYMISE, _SHARED, mine=_by("proposed_by")),
    "programs.CharterDecision": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    # meetings
    "meetings.MeetingSeries": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "meetings.Meeting": Rule(
        Handling.ANONYMISE,
        "The group's meeting and its shared notes stay with the group; the person is no longer "
        "named as facilitator, timekeeper or last editor. Exported: meetings they attended or "
        "helped run, with the notes text where they saved it last.",
        mine=_meetings_of,
        shape=_notes_only_if_written,
    ),
    "meetings.AvailabilityPoll": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "meetings.PollOption": Rule(Handling.NOT_PERSONAL, "A proposed time of a poll."),
    "meetings.Vote": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    "meetings.AgendaItem": Rule(Handling.ANONYMISE, _SHARED, mine=_by("proposer")),
    "meetings.AgendaVote": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    "meetings.ActionItem": Rule(Handling.DELETE, _OWN, mine=_by("owner")),
    "meetings.Attendance": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    "meetings.CalendarFeed": Rule(Handling.DELETE, _OWN, mine=_by("user"), secret=("token_hash",)),
    "meetings.ReminderSent": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    # goals
    "goals.Goal": Rule(Handling.DELETE, _OWN, mine=_by("owner")),
    "goals.Milestone": Rule(Handling.DELETE, _OWN, mine=_by("goal__owner")),
    "goals.GoalCheckIn": Rule(Handling.DELETE, _OWN, mine=_by("goal__owner")),
    "goals.CurriculumTopic": Rule(Handling.NOT_PERSONAL, "A topic of the program's library."),
    "goals.TopicPlan": Rule(Handling.ANONYMISE, _SHARED, mine=_by("added_by")),
    "goals.Resource": Rule(
        Handling.ANONYMISE,
        _SHARED + " Files they shared are in the export.",
        mine=_by("posted_by"),
        files=("file",),
    ),
    # scholarship
    "scholarship.Work": Rule(
        Handling.NOT_PERSONAL,
        "A published work (public bibliographic data); exported when the person is an author.",
        mine=_by("authorships__member"),
    ),
    "scholarship.ImportBatch": Rule(Handling.ANONYMISE, _SHARED, mine=_by("imported_by")),
    "scholarship.WorkSource": Rule(Handling.NOT_PERSONAL, "Where a work's record came from."),
    "scholarship.Authorship": Rule(
        Handling.ANONYMISE,
        "The person's place in a byline stays (the work is shared with co-authors); the name, "
        "ORCID iD and link become 'Former member'.",
        mine=_by("member"),
        erase=_authorships_anonymise,
    ),
    "scholarship.CareerEvent": Rule(Handling.DELETE, _OWN, mine=_by("user")),
    # surveys
    "surveys.Instrument": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "surveys.Section": Rule(Handling.NOT_PERSONAL, "A section of a questionnaire."),
    "surveys.Question": Rule(Handling.NOT_PERSONAL, "A question of a questionnaire."),
    "surveys.Wave": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "surveys.WaveInvitee": Rule(
        Handling.DELETE,
        "That the person was asked, and whether they answered (never which answers).",
        mine=_by("user"),
        secret=("token_hash",),
    ),
    "surveys.Draft": Rule(Handling.DELETE, _OWN, mine=_by("invitee__user")),
    "surveys.Response": Rule(
        Handling.DELETE,
        "Identified answers are deleted, unless the person keeps them, without their name, for "
        "the research their consent described. Anonymous answers hold no link to anyone: they "
        "can be neither exported nor deleted.",
        mine=_by("respondent"),
        erase=_responses_erase,
    ),
    "surveys.Answer": Rule(
        Handling.DELETE, "Follows its response.", mine=_by("response__respondent")
    ),
    # qualitative (the evaluators' workbench)
    "qualitative.Code": Rule(Handling.NOT_PERSONAL, "A code of a codebook."),
    "qualitative.CodebookVersion": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "qualitative.Coder": Rule(
        Handling.ANONYMISE,
        "An evaluator's coder identity stays (agreement figures need it) as 'Former evaluator'.",
        mine=_by("user"),
        erase=_coders_anonymise,
    ),
    "qualitative.CodingRound": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "qualitative.Source": Rule(
        Handling.KEEP_PSEUDONYMOUS,
        "Pseudonymised answer text; one cut from an identified answer that is deleted goes too.",
    ),
    "qualitative.Segment": Rule(
        Handling.KEEP_PSEUDONYMOUS,
        "A coded span; its coder is anonymised.",
        mine=_by("coder__user"),
    ),
    "qualitative.Memo": Rule(
        Handling.ANONYMISE,
        "An evaluator's memo stays with the analysis; its author is 'Former evaluator'.",
        mine=_by("author__user"),
    ),
    "qualitative.Theme": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "qualitative.Exemplar": Rule(Handling.ANONYMISE, _SHARED, mine=_by("chosen_by")),
    "qualitative.KeywordRule": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "qualitative.Suggestion": Rule(Handling.ANONYMISE, _SHARED, mine=_by("decided_by")),
    # enrolment
    "enrolment.Cohort": Rule(Handling.NOT_PERSONAL, "A cohort: name and dates."),
    "enrolment.Call": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "enrolment.Application": Rule(
        Handling.DELETE,
        "The person's applications (by account or e-mail address).",
        mine=_applications_of,
        erase=_delete_mine,
        secret=("nonce",),
    ),
    "enrolment.FormationRun": Rule(Handling.ANONYMISE, _SHARED, mine=_by("created_by")),
    "enrolment.CohortGroup": Rule(Handling.NOT_PERSONAL, "A group formed for a cohort."),
    # reports
    "reports.Report": Rule(
        Handling.ANONYMISE,
        "Aggregate figures; the requester and the author of conclusions are no longer named.",
        mine=_by("requested_by", "conclusions_by"),
        secret=("pdf", "html", "content"),
    ),
    # api
    "api.ApiToken": Rule(
        Handling.DELETE,
        "Metadata only: the token itself is never stored.",
        mine=_by("user"),
        secret=("token_hash",),
    ),
}


def covered_models() -> Iterator[type[models.Model]]:
    """Every model of every installed peermentor app."""
    for config in apps.get_app_configs():
        if config.name.startswith("peermentor."):
            yield from config.get_models()


def rule_for(model: type[models.Model]) -> Rule:
    """The rule of one model; a KeyError names a model the registry forgot."""
    return RULES[model._meta.label]


def _installed_rules() -> Iterator[tuple[type[models.Model], Rule]]:
    for label, rule in RULES.items():
        app_label, name = label.split(".")
        try:
            model = apps.get_model(app_label, name)
        except LookupError:
            continue  # an app being built, not installed here
        yield model, rule


# --- Export ------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _row(model: type[models.Model], row: models.Model, rule: Rule, user: Any) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for model_field in model._meta.concrete_fields:
        if model_field.name in rule.secret:
            continue
        data[model_field.attname] = _value(getattr(row, model_field.attname))
    return rule.shape(row, user, data) if rule.shape else data


def personal_records(user: Any) -> dict[str, dict[str, Any]]:
    """Every record the registry says is the person's, model by model."""
    records: dict[str, dict[str, Any]] = {}
    for model, rule in _installed_rules():
        if rule.mine is None:
            continue
        rows = model._default_manager.filter(rule.mine(user)).distinct().order_by("pk")
        records[model._meta.label] = {
            "name": str(model._meta.verbose_name_plural).capitalize(),
            "handling": str(rule.handling),
            "why": rule.why,
            "rows": [_row(model, row, rule, user) for row in rows],
        }
    return records


def _files(user: Any) -> Iterator[tuple[str, bytes]]:
    for model, rule in _installed_rules():
        if not rule.files or rule.mine is None:
            continue
        for row in model._default_manager.filter(rule.mine(user)).order_by("pk"):
            for name in rule.files:
                stored = getattr(row, name)
                if not stored:
                    continue
                try:
                    with stored.open("rb") as handle:
                        content = handle.read()
                except OSError:
                    continue  # a file lost from storage: the record still says its name
                base = re.sub(r"[^\w.-]+", "_", stored.name.rsplit("/", 1)[-1])[:100]
                yield f"files/{model._meta.model_name}-{row.pk}-{base}", content


NOT_EXPORTABLE = (
    "Answers to anonymous surveys are stored with no link to anyone, so they cannot be found "
    "for you, exported or deleted. That is what makes them anonymous.",
    "Notes of your group's meetings are the group's shared record: the export holds the notes "
    "text of meetings where you saved the notes last.",
)


def personal_data_export(*, user: Any, request: Any = None) -> bytes:
    """A ZIP of everything the registry holds about the person: data.json and index.html."""
    now = timezone.now()
    records = personal_records(user)
    document = {
        "format": EXPORT_FORMAT,
        "exported_at": now.isoformat(),
        "person": {"id": user.pk, "email": user.email, "name": user.name},
        "not_included": list(NOT_EXPORTABLE),
        "records": records,
    }
    index = render_to_string(
        "accounts/privacy_export_index.html",
        {"document": document, "exported_at": now, "sections": records.values()},
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, indent=2, ensure_ascii=False))
        archive.writestr("index.html", index)
        archive.writestr("README.txt", _readme())
        for name, content in _files(user):
            archive.writestr(name, content)
    audit_record(
        action="privacy.exported",
        actor=user,
        target=user,
        request=request,
        records=sum(len(section["rows"]) for section in records.values()),
    )
    return buffer.getvalue()


def _readme() -> str:
    lines = [
        "Your PeerMentor data",
        "",
        "index.html  the same data as a page you can read in any browser",
        "data.json   every record, machine-readable (one section per kind of record)",
        "files/      files you shared with your group",
        "",
        *NOT_EXPORTABLE,
        "",
    ]
    return "\n".join(lines)


# --- Deletion ----------------------------------------------------------------------------------


def identifiers_of(user: Any) -> list[str]:
    """The strings that would identify the person if left anywhere: e-mail, full name, ORCID iD."""
    found = [user.email]
    name = " ".join((user.name or "").split())
    # A single word ("Sam") would match ordinary text: only full names are looked for.
    if len([part for part in name.split(" ") if len(part) > 1]) >= 2:
        found.append(name)
    profile = apps.get_model("accounts", "Profile")._default_manager.filter(user=user).first()
    if profile is not None and profile.orcid:
        found.append(profile.orcid)
    return [item for item in found if item]


def _pattern(identifiers: list[str]) -> re.Pattern[str]:
    escaped = [r"\s+".join(map(re.escape, item.split())) for item in identifiers]
    return re.compile(r"(?<!\w)(?:" + "|".join(escaped) + r")(?!\w)", re.IGNORECASE)


def _redact_text(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda match: MASK * len(match.group(0)), text)


def _redact_json(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return _redact_text(value, pattern)
    if isinstance(value, list):
        # An identifier that is a whole item (an e-mail in a list) is dropped, not masked.
        return [_redact_json(item, pattern) for item in value if not _whole(item, pattern)]
    if isinstance(value, dict):
        return {key: _redact_json(item, pattern) for key, item in value.items()}
    return value


def _whole(item: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(item, str) and pattern.fullmatch(item.strip()) is not None


def _text_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.primary_key
    ]


def _candidates(model: type[models.Model], text_field: Any, identifiers: list[str]) -> Q:
    query = Q()
    if isinstance(text_field, models.JSONField):
        for item in identifiers:
            # JSON may store non-ASCII letters escaped: look for both spellings.
            for form in {item, json.dumps(item)[1:-1]}:
                query |= Q(**{"pm_as_text__icontains": form})
        return query
    for item in identifiers:
        query |= Q(**{f"{text_field.name}__icontains": item.split()[0]})
    return query


# Models the sweep leaves alone: the audit log holds no text (and refuses changes), sessions are
# ended separately, and a deleted person's row is gone.
_SWEEP_SKIP = {"core.AuditEntry", "sessions.Session"}


def identifying_text_sweep(identifiers: list[str]) -> int:
    """Mask the identifiers wherever they are still written, in every text field of every model.

    Catches what no foreign key can: a name typed into someone else's notes, an e-mail in another
    applicant's "rather not with" list, a name in an imported record.
    """
    pattern = _pattern(identifiers)
    changed = 0
    for model in apps.get_models():
        if model._meta.label in _SWEEP_SKIP or model._meta.proxy or not model._meta.managed:
            continue
        for text_field in _text_fields(model):
            changed += _sweep_field(model, text_field, identifiers, pattern)
    return changed


def _sweep_field(
    model: type[models.Model], text_field: Any, identifiers: list[str], pattern: re.Pattern[str]
) -> int:
    rows = model._default_manager.all()
    if isinstance(text_field, models.JSONField):
        rows = rows.annotate(pm_as_text=Cast(text_field.name, TextField()))
    changed = 0
    for pk, value in rows.filter(_candidates(model, text_field, identifiers)).values_list(
        "pk", text_field.name
    ):
        if isinstance(text_field, models.JSONField):
            new = _redact_json(value, pattern)
        else:
            new = _redact_text(value or "", pattern)
        if new != value:
            model._default_manager.filter(pk=pk).update(**{text_field.name: new})
            changed += 1
    return changed


@dataclass
class DeletionSummary:
    """What an account deletion did, by model."""

    steps: dict[str, int]
    masked: int


def account_delete(
    *, user: Any, erasure: Erasure | None = None, request: Any = None
) -> DeletionSummary:
    """Delete the person's account: the registry's steps, the account with what cascades from
    it, their sessions, then every remaining mention of their name, e-mail or ORCID iD."""
    from peermentor.accounts.sessions import sessions_end_for

    erasure = erasure or Erasure()
    identifiers = identifiers_of(user)
    user_pk = user.pk
    steps: dict[str, int] = {}
    with transaction.atomic():
        for model, rule in _installed_rules():
            if rule.erase is not None:
                steps[model._meta.label] = rule.erase(model, user, erasure)
        sessions_end_for(user)
        user.delete()
        masked = identifying_text_sweep(identifiers)
        audit_record(
            action="account.deleted",
            actor=None,
            request=None,
            account=user_pk,
            kept_research_waves=len(erasure.keep_research_waves),
            masked=masked,
        )
    del request  # the request's IP address is not recorded with a deletion
    return DeletionSummary(steps=steps, masked=masked)


def identified_waves_answered(user: Any) -> list[Any]:
    """The identified survey waves the person answered, with their consent texts."""
    if not apps.is_installed("peermentor.surveys"):
        return []
    wave = apps.get_model("surveys", "Wave")
    return list(
        wave._default_manager.filter(responses__respondent=user)
        .distinct()
        .select_related("program")
        .order_by("opens_on", "pk")
    )


def settings_summary() -> dict[str, Any]:
    """Retention settings shown on the "Your data" page."""
    return {"closed_group_retention_days": settings.PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS}


# --- Retention ---------------------------------------------------------------------------------


@dataclass
class PurgeResult:
    """What one retention run did: per group purged, the number of meetings whose notes went."""

    cutoff: dt.date | None
    groups: dict[int, int]

    @property
    def meetings(self) -> int:
        return sum(self.groups.values())


def closed_group_notes_purge(*, days: int | None = None, dry_run: bool = False) -> PurgeResult:
    """Empty the meeting notes of every group closed at least ``days`` days ago (0: never)."""
    if days is None:
        days = settings.PEERMENTOR_CLOSED_GROUP_RETENTION_DAYS
    if days <= 0:
        return PurgeResult(cutoff=None, groups={})
    cutoff = timezone.localdate() - dt.timedelta(days=days)
    meeting = apps.get_model("meetings", "Meeting")
    with_notes = meeting._default_manager.filter(
        group__closed_on__isnull=False, group__closed_on__lte=cutoff
    ).exclude(notes="")
    counts = dict(
        with_notes.values("group").annotate(n=models.Count("pk")).values_list("group", "n")
    )
    if dry_run or not counts:
        return PurgeResult(cutoff=cutoff, groups=counts)
    group = apps.get_model("programs", "Group")
    with transaction.atomic():
        with_notes.update(
            notes="", notes_updated_by=None, notes_version=models.F("notes_version") + 1
        )
        for closed in group._default_manager.filter(pk__in=counts):
            audit_record(
                action="retention.notes_purged",
                target=closed,
                meetings=counts[closed.pk],
                days=days,
            )
    return PurgeResult(cutoff=cutoff, groups=counts)
