"""Version 1 of the REST API: read-only resources, each fetched through the same authorization
layer and selectors as the pages (``core.authorization``), so the API can show nothing a page
would not. Outsiders get 404, insiders without the right or the scope 403, no token 401."""

from __future__ import annotations

import math
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja.openapi.docs import DocsBase
from ninja.throttling import UserRateThrottle

from peermentor.api import schemas
from peermentor.api.auth import ScopeMissing, scoped
from peermentor.api.models import Scope
from peermentor.api.selectors import coder_of, display_name, programs_of
from peermentor.core.authorization import get_for_user_or_404
from peermentor.goals import selectors as goals
from peermentor.meetings import selectors as meetings
from peermentor.meetings.models import Meeting
from peermentor.programs import selectors as programs
from peermentor.programs.access import group_for_content
from peermentor.programs.models import Group, Program
from peermentor.qualitative import selectors_coding as workbench
from peermentor.scholarship import selectors as scholarship
from peermentor.scholarship.productivity import RateComparison
from peermentor.surveys import selectors as surveys
from peermentor.surveys.models import Wave

Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
Slug = Annotated[str, Path(max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")]
REFUSALS: dict[int, Any] = {
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    422: schemas.Invalid,
    429: schemas.Problem,
}


class PersonRateThrottle(UserRateThrottle):
    """At most ``PEERMENTOR_API_RATE_LIMIT`` calls per person, over all their tokens, counted in
    the shared cache so that every server counts the same calls (429 and Retry-After beyond)."""

    scope = "person"

    def get_rate(self) -> str | None:
        return settings.PEERMENTOR_API_RATE_LIMIT or None

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.get_rate()  # read on every call: the setting may change
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class OperationList(DocsBase):
    """The docs page: our own list of operations (no Swagger UI from a CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        from django.shortcuts import render

        schema = api.get_openapi_schema(path_params=kwargs)
        operations = [
            {
                "method": method.upper(),
                "path": path,
                "scope": details.get("x-required-scope", ""),
                "about": details.get("description") or details.get("summary", ""),
            }
            for path, methods in schema["paths"].items()
            for method, details in methods.items()
        ]
        context = {
            "api": api,
            "operations": operations,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "scopes": Scope.choices,
        }
        return render(request, "api/docs.html", context)


class PeerMentorAPI(NinjaAPI):
    """Every answer of the API may hold private data: no cache may store it."""

    def create_response(self, request: HttpRequest, data: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().create_response(request, data, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        return response


api = PeerMentorAPI(
    title="PeerMentor API",
    version="1",
    description=(
        "Read-only access to what your PeerMentor pages show you, with a personal access "
        "token. See docs/api.md."
    ),
    urls_namespace="api-v1",
    docs=OperationList(),
    throttle=[PersonRateThrottle()],
)


@api.exception_handler(ScopeMissing)
def _scope_missing(request: HttpRequest, exc: ScopeMissing) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": "You may not see this."}, status=403)


def _responses(ok: Any) -> dict[int, Any]:
    return {200: ok, **REFUSALS}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def _program(request: HttpRequest, slug: str, see: str, need: str | None = None) -> Program:
    return get_for_user_or_404(request.user, Program, see=see, need=need, slug=slug)


# --- Me and programs -------------------------------------------------------------------------


@api.get("/me", response=_responses(schemas.MeOut), tags=["me"], **scoped(None))
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the token belongs to, and what it may read."""
    token = request.auth  # type: ignore[attr-defined]
    return {
        "id": token.user.pk,
        "name": display_name(token.user),
        "email": token.user.email,
        "token_name": token.name,
        "scopes": token.scopes,
        "token_expires_at": token.expires_at,
    }


@api.get(
    "/programs",
    response=_responses(list[schemas.ProgramOut]),
    tags=["programs"],
    **scoped(Scope.PROGRAMS),
)
def program_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Programs you direct, evaluate or have a group in, with your roles in each."""
    return [
        {"id": p.pk, "slug": p.slug, "name": p.name, "my_roles": roles}
        for p, roles in programs_of(user=request.user)
    ]


@api.get(
    "/programs/{slug}",
    response=_responses(schemas.ProgramDetailOut),
    tags=["programs"],
    **scoped(Scope.PROGRAMS),
)
def program_detail(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """A program and its groups with member counts (its directors and evaluators)."""
    program = _program(request, slug, "programs.see_program")
    groups = programs.groups_of_program(program=program)
    return {
        "id": program.pk,
        "slug": program.slug,
        "name": program.name,
        "description": program.description,
        "groups": [
            {
                "id": g.pk,
                "name": g.name,
                "formed_on": g.formed_on,
                "closed_on": g.closed_on,
                "current_members": g.current_members,
                "all_members": g.all_members,
            }
            for g in groups
        ],
    }


# --- Groups and members ----------------------------------------------------------------------


def _group(request: HttpRequest, group_id: int) -> Group:
    return get_for_user_or_404(
        request.user, Group.objects.select_related("program"), see="programs.see_group", pk=group_id
    )


@api.get(
    "/groups", response=_responses(list[schemas.GroupOut]), tags=["groups"], **scoped(Scope.GROUPS)
)
def group_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The groups you are in now."""
    return [
        _group_out(m.group, m.member_count, "member")
        for m in programs.memberships_current_for_user(user=request.user)
    ]


def _group_out(group: Group, count: int, access: str) -> dict[str, Any]:
    return {
        "id": group.pk,
        "name": group.name,
        "program_slug": group.program.slug,
        "program_name": group.program.name,
        "time_zone": group.time_zone,
        "formed_on": group.formed_on,
        "closed_on": group.closed_on,
        "current_members": count,
        "my_access": access,
    }


@api.get(
    "/groups/{group_id}",
    response=_responses(schemas.GroupOut),
    tags=["groups"],
    **scoped(Scope.GROUPS),
)
def group_detail(request: HttpRequest, group_id: Id) -> dict[str, Any]:
    """One group: its members and the program's directors may see it."""
    group = _group(request, group_id)
    member_ids = programs.current_member_ids(group=group)
    access = "member" if request.user.pk in member_ids else "director"
    return _group_out(group, len(member_ids), access)


@api.get(
    "/groups/{group_id}/members",
    response=_responses(list[schemas.MemberOut]),
    tags=["groups"],
    **scoped(Scope.GROUPS),
)
def group_members(request: HttpRequest, group_id: Id) -> list[dict[str, Any]]:
    """Current and former members, as the group page lists them (no e-mail addresses)."""
    group = _group(request, group_id)
    people = programs.group_memberships(group=group)
    return [_member_out(m) for m in people["current"] + people["former"]]


def _member_out(membership: Any) -> dict[str, Any]:
    profile = getattr(membership.user, "profile", None)
    return {
        "user_id": membership.user_id,
        "name": display_name(membership.user),
        "role": membership.role,
        "rank": profile.rank if profile else "",
        "department": profile.department if profile else "",
        "joined_on": membership.joined_on,
        "left_on": membership.left_on,
        "leave_reason": membership.leave_reason,
    }


# --- Meetings: group-private -----------------------------------------------------------------


@api.get(
    "/groups/{group_id}/meetings",
    response=_responses(list[schemas.MeetingOut]),
    tags=["meetings"],
    **scoped(Scope.MEETINGS),
)
def meeting_list(request: HttpRequest, group_id: Id) -> list[dict[str, Any]]:
    """Every meeting of your group, newest first, with attendance and agenda counts."""
    group = group_for_content(request.user, group_id)
    return [
        {
            **_meeting_fields(m),
            "present": m.present,
            "attendance_recorded": m.recorded,
            "agenda_items": m.items,
        }
        for m in meetings.meeting_history(group=group)["meetings"]
    ]


def _meeting_fields(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "starts_at": meeting.starts_at,
        "time_zone": meeting.time_zone,
        "duration_minutes": meeting.duration_minutes,
        "status": meeting.status,
        "place": meeting.place,
        "video_link": meeting.video_link,
        "facilitator": display_name(meeting.facilitator),
        "timekeeper": display_name(meeting.timekeeper),
    }


@api.get(
    "/meetings/{meeting_id}",
    response=_responses(schemas.MeetingDetailOut),
    tags=["meetings"],
    **scoped(Scope.MEETINGS),
)
def meeting_detail(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    """A meeting of your group with its agenda, attendance, open actions and notes."""
    meeting = get_for_user_or_404(
        request.user,
        Meeting.objects.select_related("group", "facilitator", "timekeeper"),
        see="meetings.see",
        pk=meeting_id,
    )
    agenda = meetings.agenda_for(meeting=meeting, user=request.user)
    recorded = meetings.attendance_for(meeting=meeting)
    return {
        **_meeting_fields(meeting),
        "group_id": meeting.group_id,
        "notes": meeting.notes,
        "planned_minutes": agenda.planned_minutes,
        "agenda": [_agenda_out(item) for item in agenda.items],
        "attendance": [
            {"user_id": u.pk, "name": display_name(u), "status": recorded.get(u.pk)}
            for u in meetings.meeting_members(meeting=meeting)
        ],
        "open_actions": [
            {
                "id": a.pk,
                "title": a.title,
                "owner": display_name(a.owner),
                "due_on": a.due_on,
                "status": a.status,
            }
            for a in meetings.open_actions(group=meeting.group)
        ],
    }


def _agenda_out(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "title": item.title,
        "kind": item.kind,
        "minutes": item.minutes,
        "actual_minutes": item.actual_minutes,
        "status": item.status,
        "position": item.position,
        "proposer": display_name(item.proposer),
        "votes": item.vote_count,
    }


# --- Goals shared with a group ---------------------------------------------------------------


@api.get(
    "/groups/{group_id}/goals",
    response=_responses(list[schemas.GoalOut]),
    tags=["goals"],
    **scoped(Scope.GOALS),
)
def group_goals(request: HttpRequest, group_id: Id) -> list[dict[str, Any]]:
    """The goals your group's members share with it, with progress and milestones."""
    group = group_for_content(request.user, group_id)
    return [
        {
            "id": g.pk,
            "title": g.title,
            "owner": display_name(g.owner),
            "category": g.category,
            "status": g.status,
            "visibility": g.visibility,
            "target_date": g.target_date,
            "done_looks_like": g.done_looks_like,
            "latest_progress": g.latest,
            "milestones": [
                {"title": m.title, "reached_on": m.reached_on} for m in g.milestones.all()
            ],
        }
        for g in goals.shared_goals(group=group)
    ]


# --- Works -----------------------------------------------------------------------------------


def _work_out(work: Any) -> dict[str, Any]:
    return {
        "id": work.pk,
        "type": work.type,
        "title": work.title,
        "venue": work.venue,
        "year": work.year,
        "doi": work.doi,
        "pmid": work.pmid,
    }


def _rate_out(c: RateComparison, name: str) -> dict[str, Any]:
    return {
        "member_id": c.member_id if isinstance(c.member_id, int) else None,
        "name": name,
        "members": c.members,
        "before_count": c.before_count,
        "during_count": c.during_count,
        "before_rate": _finite(c.before_rate),
        "during_rate": _finite(c.during_rate),
        "ratio": _finite(c.ratio),
        "ci_low": _finite(c.ci_low),
        "ci_high": _finite(c.ci_high),
    }


@api.get(
    "/me/works", response=_responses(list[schemas.WorkOut]), tags=["works"], **scoped(Scope.WORKS)
)
def my_works(request: HttpRequest) -> list[dict[str, Any]]:
    """Works you are a confirmed author of."""
    return [_work_out(w) for w in scholarship.my_works(user=request.user)]


@api.get(
    "/groups/{group_id}/works",
    response=_responses(schemas.GroupWorksOut),
    tags=["works"],
    **scoped(Scope.WORKS),
)
def group_works(request: HttpRequest, group_id: Id) -> dict[str, Any]:
    """Your group's works before and during membership, per member and pooled, and its ties."""
    group = group_for_content(request.user, group_id)
    data = scholarship.group_scholarship(group=group)
    names = {m.user_id: display_name(m.user) for m in group.memberships.select_related("user")}
    return {
        "members": [_rate_out(c, names.get(c.member_id, "")) for c in data.comparisons],  # type: ignore[arg-type]
        "group": _rate_out(data.pooled, group.name),
        "works_per_year": [[year, count] for year, count in data.per_year],
        "ties_before": data.network_summary["ties_before"],
        "ties_during": data.network_summary["ties_during"],
        "shared_works": [_work_out(w) for w in data.shared_works],
    }


@api.get(
    "/programs/{slug}/works",
    response=_responses(schemas.ProgramWorksOut),
    tags=["works"],
    **scoped(Scope.WORKS),
)
def program_works(request: HttpRequest, slug: Slug) -> dict[str, Any]:
    """A program's pooled productivity, per group with groups under five people suppressed."""
    program = _program(request, slug, "scholarship.see_program_figures")
    data = scholarship.program_scholarship(program=program)
    rows = []
    for row in data["rows"]:
        c = row.comparison
        rows.append(
            {
                "group": row.label,
                "people": row.people,
                "suppressed": c is None,
                "before_count": c.before_count if c else None,
                "during_count": c.during_count if c else None,
                "ratio": _finite(c.ratio) if c else None,
            }
        )
    return {
        "people": data["people"],
        "program": _rate_out(data["pooled"], program.name),
        "groups": rows,
        "window_before_years": data["window"].before,
        "window_during_years": data["window"].during,
    }


# --- Surveys: counts only --------------------------------------------------------------------


@api.get(
    "/programs/{slug}/surveys",
    response=_responses(list[schemas.WaveOut]),
    tags=["surveys"],
    **scoped(Scope.SURVEYS),
)
def wave_list(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """The program's survey waves with invited, answered and response counts."""
    program = _program(request, slug, "surveys.see_surveys")
    return [
        {
            **_wave_fields(w),
            "instrument": str(w.instrument),
            "invited": w.invited,
            "answered": w.answered,
            "responses": w.response_count,
        }
        for w in surveys.waves_of_program(program=program)
    ]


def _wave_fields(wave: Wave) -> dict[str, Any]:
    return {
        "id": wave.pk,
        "title": wave.title,
        "kind": wave.kind,
        "mode": wave.mode,
        "opens_on": wave.opens_on,
        "closes_on": wave.closes_on,
    }


@api.get(
    "/surveys/waves/{wave_id}",
    response=_responses(schemas.WaveDetailOut),
    tags=["surveys"],
    **scoped(Scope.SURVEYS),
)
def wave_detail(request: HttpRequest, wave_id: Id) -> dict[str, Any]:
    """One wave's response rate per group: counts only, nobody named."""
    wave = get_for_user_or_404(
        request.user,
        Wave.objects.select_related("program", "instrument"),
        see="surveys.see_surveys",
        pk=wave_id,
    )
    rates = surveys.response_rates(wave=wave)
    return {
        **_wave_fields(wave),
        "invited": sum(r.invited for r in rates),
        "answered": sum(r.answered for r in rates),
        "groups": [
            {"group": r.name, "invited": r.invited, "answered": r.answered, "percent": r.percent}
            for r in rates
        ],
    }


# --- The qualitative workbench: evaluators only ----------------------------------------------


def _workbench(request: HttpRequest, slug: str) -> Program:
    return _program(request, slug, "programs.see_program", need="qualitative.use_workbench")


@api.get(
    "/programs/{slug}/workbench/codes",
    response=_responses(list[schemas.CodeOut]),
    tags=["workbench"],
    **scoped(Scope.WORKBENCH),
)
def workbench_codes(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """The program's codebook, parents before their children, with how often each is used."""
    program = _workbench(request, slug)
    return [
        {
            "id": node.code.pk,
            "parent_id": node.code.parent_id,
            "name": node.code.name,
            "depth": node.depth,
            "definition": node.code.definition,
            "when_to_use": node.code.when_to_use,
            "when_not_to_use": node.code.when_not_to_use,
            "polarity": node.code.polarity,
            "is_codable": node.code.is_codable,
            "segments": node.segments,
        }
        for node in workbench.code_tree(program=program)
    ]


@api.get(
    "/programs/{slug}/workbench/segments",
    response=_responses(schemas.SegmentPageOut),
    tags=["workbench"],
    **scoped(Scope.WORKBENCH),
)
def workbench_segments(
    request: HttpRequest,
    slug: Slug,
    code: Annotated[int | None, Query(ge=1, le=2_147_483_647)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> dict[str, Any]:
    """Coded passages of pseudonymised answers that you may see (never another coder's work
    in a blind round still open), in pages."""
    program = _workbench(request, slug)
    segments = workbench.visible_segments(
        program=program, coder=coder_of(program=program, user=request.user)
    ).select_related("source")
    if code is not None:
        segments = segments.filter(code_id=code)
    page = list(segments.order_by("source_id", "start", "end", "pk")[offset : offset + limit])
    return {
        "count": segments.count(),
        "limit": limit,
        "offset": offset,
        "items": [_segment_out(s) for s in page],
    }


def _segment_out(segment: Any) -> dict[str, Any]:
    source = segment.source
    return {
        "id": segment.pk,
        "code_id": segment.code_id,
        "code": segment.code.name,
        "coder": segment.coder.name,
        "source_id": source.pk,
        "respondent": source.respondent,
        "wave_id": source.wave_id,
        "question_id": source.question_id,
        "start": segment.start,
        "end": segment.end,
        "quote": source.text[segment.start : segment.end],
    }
