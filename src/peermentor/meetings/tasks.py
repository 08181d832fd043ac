"""Background work for meetings: reminders before meetings and poll deadlines, poll notices.

Each reminder is recorded in ``ReminderSent`` before it is sent, under a unique constraint, so a
worker that restarts or a task that runs twice never sends the same reminder again.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from peermentor.accounts.models import User
from peermentor.meetings.models import AvailabilityPoll, Meeting, ReminderSent, Vote
from peermentor.meetings.selectors import agenda_for, current_members


def _claim(kind: str, object_id: int, user: User, occasion: str) -> bool:
    """Record that this reminder goes out; False when it has gone out before."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                kind=kind, object_id=object_id, user=user, occasion=occasion
            )
    except IntegrityError:
        return False
    return True


def _send(user: User, subject: str, template: str, context: dict[str, object]) -> None:
    with timezone.override(user.time_zone):
        body = render_to_string(template, {**context, "recipient": user})
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])


@task()
def send_meeting_reminders(*, meeting_id: int, starts_at: str) -> int:
    """E-mail each member the meeting's time and agenda, once; skipped if it moved or ended."""
    meeting = Meeting.objects.select_related("group").filter(pk=meeting_id).first()
    if meeting is None or meeting.status != Meeting.Status.SCHEDULED:
        return 0
    if meeting.starts_at != dt.datetime.fromisoformat(starts_at):
        return 0  # rescheduled: the reminder for the new time is queued separately
    link = settings.SITE_URL + reverse("meeting_detail", args=[meeting.pk])
    sent = 0
    for member in current_members(group=meeting.group):
        if _claim("meeting", meeting.pk, member, starts_at):
            agenda = agenda_for(meeting=meeting, user=member)
            _send(
                member,
                f"Reminder: {meeting.group} meets soon",
                "meetings/email/meeting_reminder.txt",
                {"meeting": meeting, "agenda": agenda, "link": link},
            )
            sent += 1
    return sent


@task()
def send_poll_reminders(*, poll_id: int) -> int:
    """E-mail the members who have not answered an open poll, once."""
    poll = AvailabilityPoll.objects.select_related("group").filter(pk=poll_id).first()
    if poll is None or poll.status != AvailabilityPoll.Status.OPEN:
        return 0
    answered = set(Vote.objects.filter(option__poll=poll).values_list("user_id", flat=True))
    link = settings.SITE_URL + reverse("poll_detail", args=[poll.pk])
    sent = 0
    for member in current_members(group=poll.group):
        if member.pk not in answered and _claim("poll", poll.pk, member, "deadline"):
            _send(
                member,
                f"Please answer: {poll.title}",
                "meetings/email/poll_reminder.txt",
                {"poll": poll, "link": link},
            )
            sent += 1
    return sent


@task()
def send_poll_complete_notice(*, poll_id: int) -> int:
    """Tell the member who opened the poll that everyone has answered."""
    poll = AvailabilityPoll.objects.select_related("group", "created_by").filter(pk=poll_id).first()
    if poll is None or poll.created_by is None:
        return 0
    if not _claim("poll_complete", poll.pk, poll.created_by, "everyone"):
        return 0
    link = settings.SITE_URL + reverse("poll_detail", args=[poll.pk])
    _send(
        poll.created_by,
        f"Everyone has answered: {poll.title}",
        "meetings/email/poll_complete.txt",
        {"poll": poll, "link": link},
    )
    return 1
