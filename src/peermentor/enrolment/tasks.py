"""Background work for enrolment: forming groups, and e-mailing applicants their private link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from peermentor.enrolment.models import Application


@task()
def run_formation(*, run_id: int) -> str:
    """Form the groups of one formation run; its status afterwards."""
    from peermentor.enrolment.services import formation_execute

    return formation_execute(run_id=run_id).status


@task()
def send_application_link(*, application_id: int) -> bool:
    """E-mail an applicant the private link to their application; False when it is gone."""
    from peermentor.enrolment.services import application_token

    application = Application.objects.select_related("call__program").filter(pk=application_id)
    found = application.first()
    if found is None:
        return False
    link = settings.SITE_URL + reverse("application_status", args=[application_token(found)])
    send_mail(
        subject=f"Your application to “{found.call.title}”",
        message=render_to_string(
            "enrolment/email/application_link.txt", {"application": found, "link": link}
        ),
        from_email=None,
        recipient_list=[found.email],
    )
    return True
