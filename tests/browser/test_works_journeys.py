"""The works journey: upload a BibTeX file, confirm a name-only match, see the work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIBTEX = """@article{rivera2008,
  author = {Rivera, Alex and Okafor, B.},
  title = {Teaching residents to teach: a workshop evaluation},
  journal = {Academic Psychiatry},
  year = {2008}
}
"""


def test_member_imports_claims_and_sees_the_work(
    page: Any, live_server: Any, world: World, tmp_path: Path
) -> None:
    world.member.name = "Alex Rivera"
    world.member.save()
    upload = tmp_path / "my-papers.bib"
    upload.write_text(BIBTEX, encoding="utf-8")
    sign_in(page, live_server, world.member.email, PASSWORD)
    page.get_by_role("link", name="My works", exact=True).click()
    expect(page.get_by_text("No works yet")).to_be_visible()
    page.get_by_label("File of works").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Imported: my-papers.bib")).to_be_visible()
    page.get_by_role("link", name="Check the name matches").click()
    expect(page.locator("cite")).to_contain_text("Teaching residents to teach")
    page.get_by_role("button", name="This is me").click()
    expect(page.get_by_text("Added to your works.")).to_be_visible()
    page.get_by_role("link", name="My works", exact=True).click()
    expect(page.get_by_role("heading", name="1 work")).to_be_visible()
    expect(page.locator("cite")).to_have_text("Teaching residents to teach: a workshop evaluation")
