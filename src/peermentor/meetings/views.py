"""Pages for meetings, polls, agendas, notes, action items, attendance and calendar feeds.

Everything here is group-private: objects are fetched through the authorization layer, so a
person outside the group gets 404, and a program director (who may see the group) gets 403 on
the group's meeting lists.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from peermentor.core.authorization import get_for_user_or_404
from peermentor.meetings import busy_ics, selectors, services
from peermentor.meetings.forms import (
    ActionItemForm,
    AgendaItemForm,
    BusyFileForm,
    FinaliseForm,
    MeetingForm,
    NotesForm,
    PollForm,
    meeting_initial,
)
from peermentor.meetings.ical_feed import FeedEvent, build_calendar
from peermentor.meetings.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    AvailabilityPoll,
    Meeting,
    PollOption,
)
from peermentor.programs.access import group_for_content

BUSY_FILE_LIMIT = 2 * 1024 * 1024


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_for_user_or_404(
        request.user,
        Meeting.objects.select_related("group", "facilitator", "timekeeper", "notes_updated_by"),
        see="meetings.see",
        pk=meeting_id,
    )


def _poll(request: HttpRequest, poll_id: int) -> AvailabilityPoll:
    return get_for_user_or_404(
        request.user,
        AvailabilityPoll.objects.select_related("group"),
        see="meetings.see",
        pk=poll_id,
    )


def _agenda_item(request: HttpRequest, item_id: int) -> AgendaItem:
    return get_for_user_or_404(
        request.user,
        AgendaItem.objects.select_related("group", "meeting"),
        see="meetings.see",
        pk=item_id,
    )


def _back_to(item: AgendaItem) -> HttpResponse:
    if item.meeting_id:
        return redirect("meeting_detail", meeting_id=item.meeting_id)
    return redirect("meeting_list", group_id=item.group_id)


# --- Meetings --------------------------------------------------------------------------------


@login_required
def meeting_list(request: HttpRequest, group_id: int) -> HttpResponse:
    """Upcoming meetings, open polls and the agenda backlog of a group."""
    group = group_for_content(request.user, group_id)
    context = {
        "group": group,
        "upcoming": selectors.meetings_upcoming(group=group),
        "polls": selectors.polls_for(group=group).filter(status=AvailabilityPoll.Status.OPEN),
        "backlog": selectors.backlog_for(group=group),
        "agenda_form": AgendaItemForm(),
        "member_count": len(selectors.current_members(group=group)),
    }
    return render(request, "meetings/meeting_list.html", context)


@login_required
def meeting_history(request: HttpRequest, group_id: int) -> HttpResponse:
    """Every meeting of the group with attendance, counts per year and attendance rates."""
    group = group_for_content(request.user, group_id)
    context = {
        "group": group,
        **selectors.meeting_history(group=group),
        "focus": selectors.focus_by_meeting(group=group),
    }
    return render(request, "meetings/history.html", context)


@login_required
def meeting_create(request: HttpRequest, group_id: int) -> HttpResponse:
    """Schedule a meeting directly, without a poll."""
    group = group_for_content(request.user, group_id)
    form = MeetingForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                group=group,
                starts_at=form.cleaned_data["starts_at"],
                actor=request.user,
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
                video_link=form.cleaned_data["video_link"],
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The meeting is scheduled.")
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"group": group, "form": form})


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A meeting: time, place, roles, agenda, open actions, attendance and notes."""
    meeting = _meeting(request, meeting_id)
    members = selectors.meeting_members(meeting=meeting)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "members": members,
        "agenda": selectors.agenda_for(meeting=meeting, user=request.user),
        "actions": selectors.open_actions(group=meeting.group),
        "attendance": selectors.attendance_for(meeting=meeting),
        "attendance_choices": Attendance.Status.choices,
        "agenda_form": AgendaItemForm(),
        "action_form": ActionItemForm(members=members),
        "notes_form": NotesForm(
            initial={"notes": meeting.notes, "base_version": meeting.notes_version}
        ),
        "item_statuses": AgendaItem.Status.choices,
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Reschedule, move, cancel or mark a meeting held."""
    meeting = _meeting(request, meeting_id)
    form = MeetingForm(request.POST or None, group=meeting.group, initial=meeting_initial(meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting,
                actor=request.user,
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                video_link=data["video_link"],
                status=data["status"],
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The meeting is updated; calendars will follow.")
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/meeting_form.html",
        {"group": meeting.group, "form": form, "meeting": meeting},
    )


@login_required
@require_POST
def meeting_roles(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Members swap the facilitator and timekeeper."""
    meeting = _meeting(request, meeting_id)
    members = {m.pk: m for m in selectors.current_members(group=meeting.group)}
    try:
        chosen = [
            members.get(int(request.POST.get(role) or 0)) for role in ("facilitator", "timekeeper")
        ]
        services.meeting_swap_roles(
            meeting=meeting, actor=request.user, facilitator=chosen[0], timekeeper=chosen[1]
        )
        messages.success(request, "Roles updated.")
    except (ValueError, services.MeetingError) as error:
        messages.error(request, str(error) or "Choose members of the group.")
    return redirect("meeting_detail", meeting_id=meeting.pk)


@login_required
def meeting_notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Save the group's notes; a concurrent save is shown side by side instead of lost."""
    meeting = _meeting(request, meeting_id)
    form = NotesForm(
        request.POST or None,
        initial={"notes": meeting.notes, "base_version": meeting.notes_version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_notes_save(
                meeting=meeting,
                user=request.user,
                text=form.cleaned_data["notes"],
                base_version=form.cleaned_data["base_version"],
            )
        except services.NotesConflict as error:
            conflict = error.meeting
            form = NotesForm(
                initial={
                    "notes": form.cleaned_data["notes"],
                    "base_version": conflict.notes_version,
                }
            )
            messages.error(request, str(error))
        else:
            messages.success(request, "Notes saved.")
            return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#notes")
    return render(
        request,
        "meetings/notes_form.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_POST
def attendance_save(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record attendance for every member shown."""
    meeting = _meeting(request, meeting_id)
    statuses = {}
    for member in selectors.meeting_members(meeting=meeting):
        if value := request.POST.get(f"attendance_{member.pk}"):
            statuses[member.pk] = value
    try:
        services.attendance_record(meeting=meeting, statuses=statuses, actor=request.user)
        messages.success(request, "Attendance recorded.")
    except services.MeetingError as error:
        messages.error(request, str(error))
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#attendance")


# --- Agenda ----------------------------------------------------------------------------------


@login_required
@require_POST
def agenda_add(request: HttpRequest, group_id: int) -> HttpResponse:
    """Propose an item for a meeting of the group, or for its backlog."""
    group = group_for_content(request.user, group_id)
    meeting = None
    if meeting_id := request.POST.get("meeting"):
        meeting = _meeting(request, int(meeting_id)) if meeting_id.isdigit() else None
        if meeting is None or meeting.group_id != group.pk:
            raise Http404
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.agenda_item_add(
                group=group, meeting=meeting, proposer=request.user, **form.cleaned_data
            )
            messages.success(request, "Item added to the agenda.")
        except services.MeetingError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "The item needs a title, a kind and a time box of 1–240 minutes.")
    if meeting:
        return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#agenda")
    return redirect("meeting_list", group_id=group.pk)


@login_required
@require_POST
def agenda_vote(request: HttpRequest, item_id: int) -> HttpResponse:
    """Vote for an item, or take the vote back."""
    item = _agenda_item(request, item_id)
    services.agenda_vote_toggle(item=item, user=request.user)
    return _back_to(item)


@login_required
@require_POST
def agenda_move(request: HttpRequest, item_id: int) -> HttpResponse:
    """Move an item up or down."""
    item = _agenda_item(request, item_id)
    services.agenda_move(
        item=item,
        actor=request.user,
        direction="up" if request.POST.get("direction") == "up" else "down",
    )
    return _back_to(item)


@login_required
@require_POST
def agenda_order(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Order the agenda by the members' votes."""
    meeting = _meeting(request, meeting_id)
    services.agenda_order_by_votes(meeting=meeting, actor=request.user)
    messages.success(request, "The agenda is ordered by votes.")
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#agenda")


@login_required
@require_POST
def agenda_mark(request: HttpRequest, item_id: int) -> HttpResponse:
    """Mark an item discussed, carried or dropped, with the minutes it took."""
    item = _agenda_item(request, item_id)
    raw_minutes = request.POST.get("actual_minutes", "").strip()
    try:
        minutes = int(raw_minutes) if raw_minutes else None
        services.agenda_item_mark(
            item=item,
            actor=request.user,
            status=request.POST.get("status", ""),
            actual_minutes=minutes,
        )
    except ValueError:
        messages.error(request, "Minutes spent must be a whole number.")
    except services.MeetingError as error:
        messages.error(request, str(error))
    return _back_to(item)


# --- Action items ----------------------------------------------------------------------------


@login_required
@require_POST
def action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record a commitment made at the meeting."""
    meeting = _meeting(request, meeting_id)
    form = ActionItemForm(request.POST, members=selectors.current_members(group=meeting.group))
    if form.is_valid():
        services.action_item_add(
            group=meeting.group, meeting=meeting, actor=request.user, **form.cleaned_data
        )
        messages.success(request, "Action recorded.")
    else:
        messages.error(request, "An action needs a title and a member of the group.")
    return redirect(reverse("meeting_detail", args=[meeting.pk]) + "#actions")


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """Mark an action done, dropped or open again."""
    item = get_for_user_or_404(
        request.user, ActionItem.objects.select_related("group"), see="meetings.see", pk=action_id
    )
    try:
        services.action_item_set_status(
            item=item, actor=request.user, status=request.POST.get("status", "")
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    meeting_id = request.POST.get("from_meeting", "")
    if meeting_id.isdigit():
        return redirect(reverse("meeting_detail", args=[int(meeting_id)]) + "#actions")
    return redirect("meeting_list", group_id=item.group_id)


# --- Polls -----------------------------------------------------------------------------------


@login_required
def poll_create(request: HttpRequest, group_id: int) -> HttpResponse:
    """Open a poll to find a time."""
    group = group_for_content(request.user, group_id)
    members = selectors.current_members(group=group)
    charter = selectors.charter_in_force(group=group)
    required = []
    if charter and charter.senior_mentor_required:
        required = list(
            group.memberships.filter(left_on__isnull=True, role="senior_mentor").values_list(
                "user_id", flat=True
            )
        )
    form = PollForm(
        request.POST or None,
        group=group,
        members=members,
        initial={
            "required": required,
            "duration_minutes": charter.meeting_minutes if charter else 90,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.poll_create(
                group=group,
                creator=request.user,
                title=data["title"],
                kind=data["kind"],
                duration_minutes=data["duration_minutes"],
                deadline=data["deadline_at"],
                starts=data["starts"],
                required=data["required"],
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The poll is open. Add your own answers first.")
            return redirect("poll_detail", poll_id=poll.pk)
    return render(request, "meetings/poll_form.html", {"group": group, "form": form})


def _option_label(option: PollOption, poll: AvailabilityPoll) -> str:
    local = timezone.localtime(option.starts_at)
    if poll.kind == AvailabilityPoll.Kind.WEEKLY:
        return f"{local:%A}s {local:%H:%M} (first on {local:%-d %B})"
    return f"{local:%A %-d %B %Y, %H:%M}"


@login_required
def poll_detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Answer the poll, see the ranking and why, and finalise it."""
    poll = _poll(request, poll_id)
    view = selectors.poll_view(poll=poll, user=request.user)
    prefill = request.session.pop(f"poll-prefill-{poll.pk}", None)
    mine = {int(k): v for k, v in prefill.items()} if prefill else view.mine
    labels = {o.pk: _option_label(o, poll) for o in view.options}
    finalise_form = FinaliseForm(choices=[(r.option_id, labels[r.option_id]) for r in view.ranking])
    context = {
        "poll": poll,
        "group": poll.group,
        "view": view,
        "mine": mine,
        "labels": labels,
        "prefilled": prefill is not None,
        "finalise_form": finalise_form,
        "busy_form": BusyFileForm(),
        "is_open": poll.status == AvailabilityPoll.Status.OPEN,
        "past_deadline": timezone.now() > poll.deadline,
    }
    return render(request, "meetings/poll_detail.html", context)


@login_required
@require_POST
def poll_vote(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Save the member's answers."""
    poll = _poll(request, poll_id)
    answers = {
        o: request.POST.get(f"answer_{o}", "") for o in poll.options.values_list("pk", flat=True)
    }
    try:
        services.poll_vote(poll=poll, user=request.user, answers=answers)
        messages.success(request, "Your answers are saved.")
    except services.MeetingError as error:
        messages.error(request, str(error))
    return redirect("poll_detail", poll_id=poll.pk)


@login_required
@require_POST
def poll_busy(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Read the member's .ics file and pre-fill answers: no where they are busy, yes elsewhere."""
    poll = _poll(request, poll_id)
    form = BusyFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose an .ics file to read.")
        return redirect("poll_detail", poll_id=poll.pk)
    upload = form.cleaned_data["calendar"]
    try:
        if upload.size > BUSY_FILE_LIMIT:
            raise busy_ics.IcsError(
                f"{upload.name} is larger than 2 MB; export a shorter range of dates."
            )
        prefill = _prefill_from_busy(poll, upload.read(), upload.name)
    except busy_ics.IcsError as error:
        messages.error(request, str(error))
        return redirect("poll_detail", poll_id=poll.pk)
    request.session[f"poll-prefill-{poll.pk}"] = prefill
    messages.info(request, "Answers pre-filled from your calendar: check them, then save.")
    return redirect("poll_detail", poll_id=poll.pk)


def _prefill_from_busy(poll: AvailabilityPoll, data: bytes, name: str) -> dict[str, str]:
    options = list(poll.options.all())
    length = dt.timedelta(minutes=poll.duration_minutes)
    window = (min(o.starts_at for o in options), max(o.starts_at for o in options) + length)
    busy = busy_ics.read_busy_intervals(
        data,
        window_start=window[0],
        window_end=window[1],
        file_name=name,
        default_tz=poll.time_zone,
        max_bytes=BUSY_FILE_LIMIT,
    )
    return {
        str(o.pk): "no"
        if any(b.start < o.starts_at + length and o.starts_at < b.end for b in busy)
        else "yes"
        for o in options
    }


@login_required
@require_POST
def poll_finalise(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Turn the chosen time into a meeting or a series."""
    poll = _poll(request, poll_id)
    view = selectors.poll_view(poll=poll, user=request.user)
    form = FinaliseForm(request.POST, choices=[(o.pk, str(o.pk)) for o in view.options])
    if not form.is_valid():
        messages.error(request, "Choose one of the poll's times and how often it repeats.")
        return redirect("poll_detail", poll_id=poll.pk)
    data = form.cleaned_data
    option = next(o for o in view.options if o.pk == data["option"])
    try:
        meeting = services.poll_finalise(
            poll=poll,
            option=option,
            user=request.user,
            repeat_weeks=data["repeat_weeks"],
            occurrences=data["occurrences"] if data["repeat_weeks"] else 1,
            place=data["place"],
            video_link=data["video_link"],
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
        return redirect("poll_detail", poll_id=poll.pk)
    messages.success(
        request,
        "The meeting is scheduled."
        if not data["repeat_weeks"]
        else f"{data['occurrences']} meetings are scheduled.",
    )
    return redirect("meeting_detail", meeting_id=meeting.pk)


# --- Calendars -------------------------------------------------------------------------------


def _feed_event(meeting: Meeting, now: dt.datetime) -> FeedEvent:
    return FeedEvent(
        uid=f"{meeting.uid}@peermentor",
        sequence=meeting.sequence,
        start=meeting.starts_at,
        duration_minutes=meeting.duration_minutes,
        summary=f"{meeting.group} (peer mentoring)",
        location=meeting.video_link or meeting.place,
        url=settings.SITE_URL + reverse("meeting_detail", args=[meeting.pk]),
        cancelled=meeting.status == Meeting.Status.CANCELLED,
        last_modified=meeting.updated_at or now,
    )


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Download one meeting as an .ics file."""
    meeting = _meeting(request, meeting_id)
    now = timezone.now()
    body = build_calendar([_feed_event(meeting, now)], name=str(meeting.group), now=now)
    return _ics_response(body, f"meeting-{meeting.starts_at:%Y-%m-%d}.ics")


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Create, replace or stop the person's secret calendar feed address."""
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(user=request.user)
            messages.success(request, "Your calendar feed address no longer works.")
        else:
            token = services.calendar_feed_create(user=request.user)
            messages.success(
                request,
                "Your new calendar feed address is below. Any older address has stopped working.",
            )
    feed_url = (settings.SITE_URL + reverse("calendar_feed", args=[token])) if token else None
    return render(
        request,
        "meetings/calendar_settings.html",
        {"feed_url": feed_url, "has_feed": selectors.has_live_feed(user=request.user)},
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret feed: every meeting of the person's groups; 404 for a wrong or revoked token."""
    user = selectors.feed_owner(token_hash=services.feed_token_hash(token))
    if user is None:
        raise Http404
    now = timezone.now()
    events = [_feed_event(m, now) for m in selectors.meetings_for_feed(user=user)]
    return _ics_response(
        build_calendar(events, name="PeerMentor meetings", now=now), "peermentor.ics"
    )
