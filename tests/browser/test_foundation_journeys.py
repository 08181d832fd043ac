"""Journeys of the foundation: sign in, invite and accept, privacy, accessibility of every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World, client_for
from tests.test_access_matrix import MATRIX, OK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_signs_in_and_sees_their_group(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server, world.member.email, PASSWORD)
    expect(page.get_by_role("heading", name="My groups")).to_be_visible()
    page.get_by_role("link", name="Group A", exact=True).click()
    expect(page.get_by_role("heading", name="Group A")).to_be_visible()
    expect(page.get_by_text("Only the 3 members of this group")).to_be_visible()


def test_director_invites_and_the_member_accepts(page: Any, live_server: Any, world: World) -> None:
    sign_in(page, live_server, world.director.email, PASSWORD)
    page.goto(f"{live_server.url}{reverse('program_detail', args=[world.program.slug])}")
    page.get_by_role("link", name="Invite people").click()
    page.get_by_label("E-mail address").fill("newcomer@test.example")
    page.get_by_label("Role").select_option("member")
    page.get_by_label("Group").select_option(label="Group A")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to newcomer@test.example")).to_be_visible()

    link = re.search(r"http://\S+?(/invitations/\S+/)", mail.outbox[-1].body)
    assert link is not None
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{link.group(1)}")
    page.get_by_label("Full name").fill("Noor Newcomer")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-fresh-password-77")
    page.get_by_label("Password again").fill("a-fresh-password-77")
    page.get_by_role("button", name="Create my account and join").click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()
    page.get_by_label("ORCID iD").fill("0000-0002-1825-0098")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("wrong check digit")).to_be_visible()
    page.get_by_label("ORCID iD").fill("https://orcid.org/0000-0002-1825-0097")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_role("link", name="Group A", exact=True)).to_be_visible()

    page.get_by_role("link", name="Group A", exact=True).click()
    expect(page.get_by_role("cell", name="Noor Newcomer")).to_be_visible()


def test_member_of_another_group_gets_the_404_page(
    page: Any, live_server: Any, world: World
) -> None:
    sign_in(page, live_server, world.outsider.email, PASSWORD)
    response = page.goto(f"{live_server.url}{reverse('charter', args=[world.group.pk])}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def _is_html(persona: str, path: str, world: World) -> bool:
    response = client_for(world.persona(persona)).get(path)
    return response["Content-Type"].startswith("text/html")


def _pages_to_check(world: World) -> list[tuple[str, str]]:
    """Every HTML page of the access matrix, with the first persona allowed to see it."""
    pages = [("anonymous", reverse("account_login"))]
    for name, route in MATRIX.items():
        if route.method != "get":
            continue
        persona = next((p for p, status in route.expected.items() if status == OK), None)
        if persona is None:
            continue  # nobody sees it as a page (a fragment polled by htmx redirects)
        path = reverse(name, kwargs=route.kwargs(world))
        if _is_html(persona, path, world):
            pages.append((persona, path))
    return pages


def test_every_page_passes_axe(page: Any, live_server: Any, world: World) -> None:
    axe = Axe()
    problems = []
    for persona, path in _pages_to_check(world):
        page.context.clear_cookies()
        user = world.persona(persona)
        if user is not None:
            # Dozens of sign-ins a minute from one address: allauth's own "login" limit (30 a
            # minute per address) would refuse the rest, so its counts are emptied each time.
            cache.clear()
            sign_in(page, live_server, user.email, PASSWORD)
        page.goto(f"{live_server.url}{path}")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                problems.append(f"{path} ({persona}): {violation['id']} — {violation['help']}")
    assert not problems, "\n".join(problems)
