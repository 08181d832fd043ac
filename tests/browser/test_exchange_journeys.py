"""The exchange journey: an evaluator downloads the workbench as a REFI-QDA project and uploads
a codebook from other software."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from peermentor.qualitative import refi, refi_model
from peermentor.qualitative.models import Code, Coder, Segment, Source
from tests.browser.conftest import sign_in
from tests.conftest import PASSWORD, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_evaluator_exports_the_project_and_imports_a_codebook(
    page: Any, live_server: Any, world: World, tmp_path: Path
) -> None:
    code = Code.objects.create(program=world.program, name="Support", polarity="benefit")
    source = Source.objects.create(
        program=world.program, name="Close-out · R01", text="Très bien 👍🏽 merci", respondent="R01"
    )
    coder = Coder.objects.create(program=world.program, kind="imported", name="Ana")
    Segment.objects.create(source=source, code=code, coder=coder, start=10, end=12)

    sign_in(page, live_server, world.evaluator.email, PASSWORD)
    page.goto(f"{live_server.url}/programs/{world.program.slug}/workbench/exchange/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Whole project (.qdpx)").click()
    path = tmp_path / "project.qdpx"
    download_info.value.save_as(path)
    project = refi.read_qdpx(path.read_bytes(), filename="project.qdpx")
    coding = project.codings[0]
    assert project.sources[0].text[coding.start : coding.end] == "👍🏽"

    scheduling = refi_model.Code(guid="00000000-0000-4000-8000-111111111111", name="Scheduling")
    (tmp_path / "other.qdc").write_bytes(refi.write_qdc(refi_model.Codebook(codes=[scheduling])))
    page.get_by_label("REFI-QDA file (.qdpx project or .qdc codebook)").set_input_files(
        str(tmp_path / "other.qdc")
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 1 codes")).to_be_visible()
    assert Code.objects.filter(program=world.program, name="Scheduling").exists()
    page.screenshot(path="test-artifacts/exchange.png", full_page=True)
