"""Background work for programs: sending invitation e-mails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from peermentor.programs.models import Invitation


@task()
def send_invitation_email(*, invitation_id: int) -> None:
    """Send the invitation link to the invited person (skipped if withdrawn or used meanwhile)."""
    from peermentor.programs.services import invitation_token

    invitation = Invitation.objects.select_related("program", "group", "invited_by").get(
        pk=invitation_id
    )
    if invitation.accepted_at or invitation.revoked_at:
        return
    token = invitation_token(invitation=invitation)
    context = {
        "invitation": invitation,
        "link": settings.SITE_URL + reverse("invitation_accept", args=[token]),
    }
    send_mail(
        subject=f"You are invited to {invitation.group or invitation.program} on PeerMentor",
        message=render_to_string("programs/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
