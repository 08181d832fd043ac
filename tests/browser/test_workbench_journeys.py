"""The workbench journeys: an evaluator codes a passage with the keyboard and with the mouse
(emoji and accents included), and two coders compare a blind round and settle a consensus."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from peermentor.qualitative import services
from peermentor.qualitative.models import Code, Coder, Segment, Source
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World
from tests.qualitative.workbench_support import blind_round, brought_in, codes, second_evaluator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots"  # noqa: S108 - screenshots to look at, as the brief asks


@pytest.fixture(autouse=True)
def _shots_folder() -> None:
    os.makedirs(SHOTS, exist_ok=True)


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=f"{SHOTS}/workbench-{name}.png", full_page=True)


def _accented(world: World) -> Source:
    return Source.objects.get(program=world.program, text__startswith="Très bien")


def test_evaluator_codes_a_passage_with_the_keyboard(
    page: Any, live_server: Any, world: World
) -> None:
    brought_in(world)
    services.starter_codebook_load(program=world.program, actor=world.evaluator)
    source = _accented(world)

    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/")
    page.get_by_role("link", name="Qualitative workbench").click()
    expect(page.get_by_role("heading", name="Qualitative workbench")).to_be_visible()
    _shot(page, "workbench_home")
    page.get_by_role("navigation", name="Workbench").get_by_role(
        "link", name="Coding", exact=True
    ).click()

    card = page.locator(f"#source-{source.pk}")
    card.locator("summary", has_text="Code a passage").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(card.get_by_label("From character")).to_be_focused()
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    # "Très bien 👍🏽" is 12 code points (14 UTF-16 units): the preview reads out what is chosen.
    expect(card.locator(".selection-preview")).to_have_text("Characters 1 to 12: “Très bien 👍🏽”")
    _shot(page, "coding_apply_form")
    card.get_by_label("Social connection").focus()
    page.keyboard.press("Space")
    card.get_by_role("button", name="Apply").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Coded “Très bien 👍🏽” with Social connection.")).to_be_visible()
    segment = Segment.objects.get(source=source)
    assert source.text[segment.start : segment.end] == "Très bien 👍🏽"
    expect(page.locator(f"#text-{source.pk} mark")).to_have_text("Très bien 👍🏽")
    expect(page.locator(f"#text-{source.pk} mark")).to_have_attribute("title", "Social connection")
    _shot(page, "coding_page")


def test_evaluator_codes_a_mouse_selection_across_an_emoji(
    page: Any, live_server: Any, world: World
) -> None:
    brought_in(world)
    codes(world, "Support")
    source = _accented(world)
    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/workbench/coding/")

    chosen = "bien 👍🏽 — merci"
    # Select the words as a mouse would: a DOM range, whose offsets the browser counts in UTF-16.
    page.evaluate(
        """([id, words]) => {
            const piece = document.querySelector(`#text-${id} .piece`);
            const node = piece.firstChild;
            const start = node.data.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [source.pk, chosen],
    )
    card = page.locator(f"#source-{source.pk}")
    expect(card.get_by_label("From character")).to_have_value("6")
    expect(card.get_by_label("To character")).to_have_value(str(5 + len(chosen)))
    expect(card.locator(".selection-preview")).to_contain_text(f"“{chosen}”")
    card.get_by_label("Support").check()
    card.get_by_role("button", name="Apply").click()

    segment = Segment.objects.get(source=source)
    assert source.text[segment.start : segment.end] == chosen
    expect(page.locator(f"#text-{source.pk} mark")).to_have_text(chosen)


def test_two_coders_blind_round_compare_and_consensus(
    page: Any, live_server: Any, world: World
) -> None:
    sources = brought_in(world)
    (support,) = codes(world, "Support")
    second = second_evaluator(world)
    coding_round = blind_round(world, second)
    mine = services.coder_for(program=world.program, user=world.evaluator)
    theirs = services.coder_for(program=world.program, user=second)
    target = sources[0]
    services.segment_add(
        source=target, code=support, coder=mine, start=0, end=5, round=coding_round
    )
    services.segment_add(
        source=target, code=support, coder=theirs, start=0, end=12, round=coding_round
    )

    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/workbench/rounds/")
    _shot(page, "rounds")
    page.get_by_role("link", name="Round one").click()
    expect(page.get_by_text("Blind round: each coder sees only their own coding")).to_be_visible()
    _shot(page, "round_detail")
    page.get_by_role("link", name="Code in this round").click()
    # Blind: only my own passage of the round is listed, never the other coder's.
    card = page.locator(f"#source-{target.pk}")
    expect(card.locator(".segment")).to_have_count(1)
    expect(card.locator(".segment-meta")).to_contain_text("Eve Evaluator")
    expect(page.get_by_text("Evan Second", exact=False)).to_have_count(0)
    _shot(page, "coding_round_blind")

    page.get_by_role("link", name="Back to the round").click()
    page.get_by_role("button", name=re.compile("^Close")).click()
    expect(page.get_by_role("heading", name="Disagreements in “Round one”")).to_be_visible()
    table = page.locator(f"#d-{target.pk}-{support.pk} table.compare")
    expect(table.get_by_role("columnheader", name="Eve Evaluator")).to_be_visible()
    expect(table.get_by_role("columnheader", name="Evan Second")).to_be_visible()
    expect(table.locator("td").nth(0)).to_contain_text(target.text[0:5])
    expect(table.locator("td").nth(1)).to_contain_text(target.text[0:12])
    _shot(page, "round_compare")
    page.get_by_role("button", name=re.compile("^Keep")).last.click()
    expect(page.get_by_text("Kept", exact=True)).to_be_visible()
    consensus = Segment.objects.get(coder__kind=Coder.Kind.CONSENSUS)
    assert (consensus.start, consensus.end, consensus.round_id) == (0, 12, coding_round.pk)

    page.get_by_role("link", name="Agreement", exact=True).click()
    # The first chart of a process loads matplotlib, which takes a while on a busy machine.
    expect(page.get_by_role("table")).to_contain_text("All codes (pooled)", timeout=30_000)
    _shot(page, "agreement_answer")
    page.get_by_role("link", name="By character").click()
    expect(page.get_by_role("table")).to_contain_text("characters as units", timeout=30_000)
    _shot(page, "agreement_character")


def _axe_problems(page: Any) -> list[str]:
    return [
        f"{page.url}: {v['id']} — {v['help']}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_workbench_pages_with_coding_pass_axe(page: Any, live_server: Any, world: World) -> None:
    sources = brought_in(world)
    services.starter_codebook_load(program=world.program, actor=world.evaluator)
    code = Code.objects.get(program=world.program, name="Social connection")
    other = Code.objects.get(program=world.program, name="Exclusivity")
    me = services.coder_for(program=world.program, user=world.evaluator)
    services.segment_add(source=sources[0], code=code, coder=me, start=0, end=9)
    services.segment_add(source=sources[0], code=other, coder=me, start=4, end=14)
    services.memo_save(
        program=world.program, author=world.evaluator, title="Note", text="x", source=sources[0]
    )
    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    base = f"{live_server.url}/programs/{world.program.slug}/workbench"
    problems: list[str] = []
    for path, name in [
        ("/codebook/", "codebook"),
        (f"/codes/{code.pk}/", "codebook_code"),
        ("/memos/", "memos"),
        ("/team/", "team"),
        ("/coding/", "coding_overlap"),
    ]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state()
        _shot(page, name)
        problems += _axe_problems(page)
    page.locator(f"#source-{sources[0].pk} summary", has_text="Code a passage").click()
    problems += _axe_problems(page)
    expect(page.locator(f"#text-{sources[0].pk} mark.overlap")).to_have_count(1)
    assert not problems, "\n".join(problems)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/coding/")
    _shot(page, "coding_phone")
