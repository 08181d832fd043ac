"""The shapes of the API's answers (OpenAPI components): plain data, never e-mail addresses of
others, never free text a page would not show the caller."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class Problem(Schema):
    """Why a request was refused."""

    detail: str


class Invalid(Schema):
    """Which parameter was wrong, and how."""

    detail: list[dict[str, Any]]


class MeOut(Schema):
    id: int
    name: str
    email: str
    token_name: str
    scopes: list[str]
    token_expires_at: dt.datetime


class ProgramOut(Schema):
    id: int
    slug: str
    name: str
    my_roles: list[str]


class GroupCountOut(Schema):
    id: int
    name: str
    formed_on: dt.date
    closed_on: dt.date | None
    current_members: int
    all_members: int


class ProgramDetailOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    groups: list[GroupCountOut]


class GroupOut(Schema):
    id: int
    name: str
    program_slug: str
    program_name: str
    time_zone: str
    formed_on: dt.date
    closed_on: dt.date | None
    current_members: int
    my_access: str


class MemberOut(Schema):
    user_id: int
    name: str
    role: str
    rank: str
    department: str
    joined_on: dt.date
    left_on: dt.date | None
    leave_reason: str


class _MeetingFields(Schema):
    """What every view of a meeting in the API says about it."""

    id: int
    starts_at: dt.datetime
    time_zone: str
    duration_minutes: int
    status: str
    place: str
    video_link: str
    facilitator: str
    timekeeper: str


class MeetingOut(_MeetingFields):
    present: int
    attendance_recorded: int
    agenda_items: int


class AgendaItemOut(Schema):
    id: int
    title: str
    kind: str
    minutes: int
    actual_minutes: int | None
    status: str
    position: int
    proposer: str
    votes: int


class AttendanceOut(Schema):
    user_id: int
    name: str
    status: str | None


class ActionOut(Schema):
    id: int
    title: str
    owner: str
    due_on: dt.date | None
    status: str


class MeetingDetailOut(_MeetingFields):
    group_id: int
    notes: str
    planned_minutes: int
    agenda: list[AgendaItemOut]
    attendance: list[AttendanceOut]
    open_actions: list[ActionOut]


class MilestoneOut(Schema):
    title: str
    reached_on: dt.date | None


class GoalOut(Schema):
    id: int
    title: str
    owner: str
    category: str
    status: str
    visibility: str
    target_date: dt.date | None
    done_looks_like: str
    latest_progress: int | None
    milestones: list[MilestoneOut]


class WorkOut(Schema):
    id: int
    type: str
    title: str
    venue: str
    year: int | None
    doi: str
    pmid: str


class RateOut(Schema):
    member_id: int | None
    name: str
    members: int
    before_count: int
    during_count: int
    before_rate: float | None
    during_rate: float | None
    ratio: float | None
    ci_low: float | None
    ci_high: float | None


class GroupWorksOut(Schema):
    members: list[RateOut]
    group: RateOut
    works_per_year: list[list[int]]
    ties_before: int
    ties_during: int
    shared_works: list[WorkOut]


class ProgramWorksRowOut(Schema):
    group: str
    people: int | None
    suppressed: bool
    before_count: int | None
    during_count: int | None
    ratio: float | None


class ProgramWorksOut(Schema):
    people: int
    program: RateOut
    groups: list[ProgramWorksRowOut]
    window_before_years: int
    window_during_years: int


class WaveOut(Schema):
    id: int
    title: str
    kind: str
    mode: str
    opens_on: dt.date
    closes_on: dt.date
    instrument: str
    invited: int
    answered: int
    responses: int


class GroupRateOut(Schema):
    group: str
    invited: int
    answered: int
    percent: int


class WaveDetailOut(Schema):
    id: int
    title: str
    kind: str
    mode: str
    opens_on: dt.date
    closes_on: dt.date
    invited: int
    answered: int
    groups: list[GroupRateOut]


class CodeOut(Schema):
    id: int
    parent_id: int | None
    name: str
    depth: int
    definition: str
    when_to_use: str
    when_not_to_use: str
    polarity: str
    is_codable: bool
    segments: int


class SegmentOut(Schema):
    id: int
    code_id: int
    code: str
    coder: str
    source_id: int
    respondent: str
    wave_id: int | None
    question_id: int | None
    start: int
    end: int
    quote: str


class SegmentPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[SegmentOut]
