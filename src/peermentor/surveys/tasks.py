"""Background work for surveys: e-mailing invitees their single-use links, and reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from peermentor.surveys.models import Wave, WaveInvitee


@task()
def send_wave_invitations(*, wave_id: int, reminder: bool = False) -> int:
    """E-mail each invitee who has not answered their personal link; the number sent."""
    from peermentor.surveys.services import invitee_token

    wave = Wave.objects.select_related("program").filter(pk=wave_id).first()
    if wave is None:
        return 0
    waiting = WaveInvitee.objects.filter(wave=wave, answered=False).select_related("user")
    sent = 0
    for invitee in waiting:
        link = settings.SITE_URL + reverse("survey_answer", args=[invitee_token(invitee)])
        context = {"wave": wave, "recipient": invitee.user, "link": link, "reminder": reminder}
        subject = ("Reminder: " if reminder else "") + f"Please answer “{wave.title}”"
        send_mail(
            subject=subject,
            message=render_to_string("surveys/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitee.user.email],
        )
        sent += 1
    return sent
