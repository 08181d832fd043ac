"""The analysis pages and their CSV/XLSX exports, with constant query counts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from peermentor.qualitative.models import Code, Segment, Source
from tests.conftest import World, client_for
from tests.qualitative.test_analysis_numbers import Data, build


@pytest.fixture
def data(world: World) -> Data:
    return build(world)


def _get(world: World, name: str, query: str = "", **kwargs: Any) -> Any:
    url = reverse(name, kwargs={"slug": world.program.slug, **kwargs})
    return client_for(world.evaluator).get(f"{url}?{query}" if query else url)


def _csv(response: Any) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response: Any) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("analysis_frequencies", "by=question"),
        ("analysis_frequencies", "by=wave"),
        ("analysis_frequencies", "by=group&coder=consensus"),
        ("analysis_cooccurrence", "unit=overlap"),
        ("analysis_groups", ""),
    ],
)
def test_pages_show_their_numbers_and_never_a_member_name(
    data: Data, name: str, query: str
) -> None:
    response = _get(data.world, name, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Support" in page
    assert "Zebedee" not in page  # members of Group C
    assert "Quux" not in page
    assert "Group A" not in page  # three members: never named


def test_frequencies_page_shows_a_table_per_question(data: Data) -> None:
    page = _get(data.world, "analysis_frequencies", "by=question").content.decode()
    assert "What helped?" in page
    assert "What hindered?" in page
    assert '<th scope="row">Support</th><td>5</td><td>3</td><td>3</td>' in page


def test_cooccurrence_page_has_a_chart_beside_its_table(data: Data) -> None:
    page = _get(data.world, "analysis_cooccurrence").content.decode()
    assert 'class="matrix__diagonal">3<' in page
    assert 'src="data:image/svg+xml;base64,' in page


def test_an_unknown_filter_falls_back_to_all_coders(data: Data) -> None:
    response = _get(data.world, "analysis_frequencies", "coder=999999&by=nonsense")
    assert response.status_code == 200


def test_frequencies_export_csv(data: Data) -> None:
    response = _get(data.world, "analysis_export", "by=wave", kind="frequencies", fmt="csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["wave", "code", "polarity", "passages", "answers", "respondents"]
    assert ["All answers", "Support", "benefit", "5", "3", "3"] in rows
    assert ["Baseline", "Support", "benefit", "4", "2", "2"] in rows
    assert ["Close-out", "Scheduling", "undesirable", "1", "1", "1"] in rows


def test_cooccurrence_export_xlsx(data: Data) -> None:
    response = _get(data.world, "analysis_export", kind="cooccurrence", fmt="xlsx")
    rows = _xlsx(response)
    assert rows[0] == ["code", "Support", "Support › Growth", "Scheduling"]
    assert rows[1] == ["Support", 3, 1, 2]
    assert rows[3] == ["Scheduling", 2, 0, 3]


def test_groups_export_has_group_labels_and_totals(data: Data) -> None:
    rows = _csv(_get(data.world, "analysis_export", kind="groups", fmt="csv"))
    assert rows[0] == ["code", "Group C", "Smaller groups (fewer than 5 members)", "No group"]
    assert rows[-1] == ["Answers in the group (coded or not)", "2", "1", "1"]


def test_exports_neutralise_formulas(data: Data) -> None:
    Code.objects.filter(pk=data.support.pk).update(name='=HYPERLINK("http://x")')
    rows = _csv(_get(data.world, "analysis_export", kind="frequencies", fmt="csv"))
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    sheet = _xlsx(_get(data.world, "analysis_export", kind="cooccurrence", fmt="xlsx"))
    assert sheet[0][1] == '\'=HYPERLINK("http://x")'
    assert sheet[1][0] == '\'=HYPERLINK("http://x")'


def test_unknown_export_is_404(data: Data) -> None:
    assert _get(data.world, "analysis_export", kind="frequencies", fmt="pdf").status_code == 404
    assert _get(data.world, "analysis_export", kind="secrets", fmt="csv").status_code == 404


def _more_coding(data: Data, copies: int) -> None:
    """Add answers, each coded with every code by two coders."""
    for n in range(copies):
        source = Source.objects.create(
            program=data.world.program,
            wave=data.w2,
            question=data.q2,
            group=data.big_group,
            respondent=f"R{n + 10:02d}",
            name=f"extra {n}",
            text="Support and scheduling and growth together.",
        )
        for code in (data.support, data.scheduling, data.growth):
            for coder in (data.alice, data.bob):
                Segment.objects.create(source=source, code=code, coder=coder, start=0, end=10)


PAGES = [
    ("analysis_frequencies", {}, "by=group"),
    ("analysis_cooccurrence", {}, "unit=overlap"),
    ("analysis_groups", {}, ""),
    ("analysis_export", {"kind": "frequencies", "fmt": "xlsx"}, "by=question"),
    ("themes", {}, ""),
    ("themes_export", {"fmt": "csv"}, ""),
    ("assisted_coding", {}, ""),
    ("assisted_coding_agreement", {}, ""),
]


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_query_count_does_not_grow_with_the_data(
    data: Data, name: str, kwargs: dict[str, Any], query: str, django_assert_max_num_queries: Any
) -> None:
    from peermentor.qualitative import services_analysis as services

    theme = services.theme_create(
        program=data.world.program,
        actor=data.world.evaluator,
        name="Support",
        codes=[data.support, data.growth],
    )
    services.exemplar_add(
        theme=theme, segment=Segment.objects.filter(code=data.support).first(), actor=None
    )
    with CaptureQueriesContext(connection) as small:
        assert _get(data.world, name, query, **kwargs).status_code == 200
    _more_coding(data, 25)
    services.exemplar_add(
        theme=theme, segment=Segment.objects.filter(code=data.growth).last(), actor=None
    )
    with django_assert_max_num_queries(len(small)):
        assert _get(data.world, name, query, **kwargs).status_code == 200
