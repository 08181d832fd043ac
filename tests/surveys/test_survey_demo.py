"""The demo's surveys: a close-out wave for the 2006 group and a recent wave for the others."""

from __future__ import annotations

import datetime as dt

from django.core import mail

from peermentor.demo.surveys import CLOSE_OUT_ANSWERS, load_surveys
from peermentor.surveys.models import Response
from peermentor.surveys.selectors import pseudonymised_answers
from tests.conftest import World


def test_demo_surveys_load_without_e_mail(world: World) -> None:
    close_out, recent = load_surveys(
        world.program, world.director, world.group, [world.other_group]
    )
    assert close_out.opens_on == dt.date(2010, 6, 15)
    assert close_out.responses.count() == min(3, len(CLOSE_OUT_ANSWERS))  # group A has three
    assert recent.responses.count() == 1
    assert not Response.objects.filter(respondent__isnull=False).exists()
    assert mail.outbox == []
    texts = [row for row in pseudonymised_answers(wave=close_out).rows]
    assert texts[0][0] == "R01"
