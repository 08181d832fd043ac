"""The program evaluation report's content: a short paper's figures, gathered from every app.

``report_content`` returns plain, JSON-ready data (numbers, short labels, SVG text) so a stored
report renders the same on every later visit; only the editors' conclusions change afterwards.
Themes and quotes come from the qualitative workbench: only quotes an evaluator published.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from peermentor.core import charts, disclosure
from peermentor.meetings.models import Attendance, Meeting
from peermentor.programs.models import Group, Membership, Program
from peermentor.qualitative import selectors as qualitative
from peermentor.qualitative.models import Code, CodingRound, Theme
from peermentor.reports import figures as charts_of
from peermentor.reports import selectors as figures_of
from peermentor.reports.srqr import srqr_items
from peermentor.scholarship import productivity
from peermentor.scholarship import selectors as scholarship
from peermentor.surveys.models import Wave, WaveInvitee

Progress = Callable[[int, str], None]


def _no_progress(percent: int, step: str) -> None:
    return None


def _bounds(since: dt.date, until: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.UTC)
    return start, dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)


def _scope(program: Program, group: Group | None, since: dt.date, until: dt.date) -> Q:
    q = Q(group__program=program, joined_on__lte=until) & (
        Q(left_on__isnull=True) | Q(left_on__gte=since)
    )
    return q & Q(group=group) if group is not None else q


def _comparison(c: productivity.RateComparison) -> dict[str, Any]:
    return {
        "members": c.members,
        "before_count": c.before_count,
        "before_years": round(c.before_years, 1),
        "during_count": c.during_count,
        "during_years": round(c.during_years, 1),
        "before_rate": None if c.before_rate is None else round(c.before_rate, 2),
        "during_rate": None if c.during_rate is None else round(c.during_rate, 2),
        "ratio": None if c.ratio is None else round(c.ratio, 2),
        "ci_low": None if c.ci_low is None else round(c.ci_low, 2),
        "ci_high": None if c.ci_high is None else round(c.ci_high, 2),
        "note": c.note,
    }


def description(
    program: Program, group: Group | None, since: dt.date, until: dt.date
) -> tuple[dict[str, Any], list[figures_of.Span]]:
    """Groups, members by rank and track, meetings held and the years they span."""
    spans = figures_of._spans_of(Membership.objects.filter(_scope(program, group, since, until)))
    group_ids = {s.group_id for s in spans}
    groups = list(Group.objects.filter(pk__in=group_ids).order_by("formed_on", "name"))
    start, end = _bounds(since, until)
    held = Meeting.objects.filter(group_id__in=group_ids, starts_at__gte=start, starts_at__lt=end)
    per_year = figures_of._held_by_year(held)
    members_by_group = Counter(s.group_id for s in spans)
    return {
        "groups": [
            {
                "name": g.name,
                "formed_on": g.formed_on.isoformat(),
                "closed_on": g.closed_on.isoformat() if g.closed_on else None,
                "members": members_by_group[g.pk],
            }
            for g in groups
        ],
        "people": figures_of.people_profile(spans),
        "meetings_held": sum(n for _, n in per_year),
        "meetings_per_year": per_year,
        "meetings_svg": figures_of.figures.bars(
            [str(y) for y, _ in per_year], [n for _, n in per_year], ylabel="Meetings held"
        )
        if per_year
        else None,
        "first_year": per_year[0][0] if per_year else None,
        "last_year": per_year[-1][0] if per_year else None,
    }, spans


def methods(
    program: Program, group: Group | None, since: dt.date, until: dt.date, findings: Any
) -> dict[str, Any]:
    """Instruments and waves with response rates, and how the answers were coded."""
    waves = Wave.objects.filter(program=program, opens_on__lte=until, closes_on__gte=since)
    invitees = WaveInvitee.objects.filter(wave__in=waves)
    if group is not None:
        invitees = invitees.filter(group=group)
    rates = figures_of._wave_rates(invitees)
    instruments = sorted(
        {
            f"{name} (version {version})"
            for name, version in waves.values_list("instrument__name", "instrument__version")
        }
    )
    return {
        "instruments": instruments,
        "waves": [
            {
                "title": r.title,
                "opens_on": r.opens_on.isoformat(),
                "closes_on": r.closes_on.isoformat(),
                "invited": r.invited,
                "answered": r.answered,
                "percent": r.percent,
            }
            for r in rates
        ],
        "invited": sum(r.invited for r in rates),
        "answered": sum(r.answered for r in rates),
        "codes": Code.objects.filter(program=program).count(),
        "themes": Theme.objects.filter(program=program).count(),
        "coders": len(findings.coders),
        "coder_names": findings.coders,
        "rounds": findings.rounds,
        "sources": findings.sources,
        "agreement": agreement(program),
    }


def agreement(program: Program) -> dict[str, Any]:
    """Inter-coder agreement of each closed coding round, when the workbench can compute it."""
    compute = getattr(qualitative, "round_agreement", None)
    if compute is None:
        return {"available": False, "rounds": []}
    rows = []
    for coding_round in CodingRound.objects.filter(program=program).order_by("created_at"):
        try:
            result = compute(coding_round=coding_round, unit="answer")
        except (ValueError, LookupError) as error:
            rows.append({"name": coding_round.name, "figures": [], "note": str(error)[:200]})
            continue
        rows.append({"name": coding_round.name, "figures": _numbers(result), "note": ""})
    return {"available": True, "rounds": rows}


def _numbers(result: Any) -> list[tuple[str, float]]:
    """The numeric figures of an agreement result, whatever shape the workbench returns."""
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        result = dataclasses.asdict(result)
    if not isinstance(result, dict):
        result = {k: getattr(result, k) for k in dir(result) if not k.startswith("_")}
    return [
        (str(key).replace("_", " "), round(float(value), 3))
        for key, value in result.items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]


def _themes(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": t.name,
            "description": t.description,
            "respondents": t.respondents,
            "codes": t.code_names,
            "quotes": [{"respondent": r, "text": q} for r, q in t.quotes],
        }
        for t in items
    ]


def attendance(group_ids: set[int], since: dt.date, until: dt.date) -> dict[str, Any]:
    """Attendance records of held meetings in the period, overall and per year."""
    start, end = _bounds(since, until)
    total, _, by_year = figures_of._attendance(
        Attendance.objects.filter(
            meeting__group_id__in=group_ids,
            meeting__starts_at__gte=start,
            meeting__starts_at__lt=end,
        )
    )
    return {
        "present": total.present,
        "recorded": total.recorded,
        "percent": total.percent,
        "per_year": [(r.label, r.present, r.recorded, r.percent) for r in by_year.values()],
    }


def scholarship_results(program: Program, group: Group | None, until: dt.date) -> dict[str, Any]:
    """Productivity before and during membership and the collaboration network (Works page
    figures: the same windows, rate ratios and networks)."""
    window = scholarship.Window()
    if group is not None:
        result = scholarship.group_scholarship(group=group, today=until, window=window)
        summary = result.network_summary
        labels = {node: f"M{i}" for i, node in enumerate(sorted(result.positions), start=1)}
        svg = charts.network(labels, result.positions, result.edges, new=summary["new_ties"])
        return {
            "pooled": _comparison(result.pooled),
            "paired": dataclasses.asdict(result.paired),
            "members": [_comparison(c) for c in result.comparisons],
            "ties_before": summary["ties_before"],
            "ties_during": summary["ties_during"],
            "new_ties": len(summary["new_ties"]),
            "density_before": round(summary["density_before"], 2),
            "density_during": round(summary["density_during"], 2),
            "network_svg": svg,
            "window": [window.before, window.during],
        }
    output = scholarship.program_scholarship(program=program, today=until, window=window)
    spans = figures_of._spans_of(Membership.objects.filter(group__program=program))
    ties = figures_of._collaboration(spans, until, window)
    names = dict(program.groups.values_list("pk", "name"))
    sizes = Counter(s.group_id for s in spans)
    # Per-group bars only for groups whose figures may be shown; the totals cover every group.
    rows = [(names[g], t) for g, t in ties.items() if g in names]
    hidden = disclosure.hidden_cells({g: sizes[g] for g in ties if g in names})
    shown = [(names[g], t) for g, t in ties.items() if g in names and g not in hidden]
    svg = charts_of.collaboration_bars(
        [(name, t["ties_before"], t["ties_during"]) for name, t in shown]
    )
    return {
        "pooled": _comparison(output["pooled"]),
        "paired": dataclasses.asdict(output["paired"]),
        "members": [],
        "groups": [
            {
                "name": r.label,
                "people": r.people,
                "comparison": _comparison(r.comparison) if r.comparison else None,
                "hidden": r.hidden,
            }
            for r in output["rows"]
        ],
        "ties_before": sum(t["ties_before"] for _, t in rows),
        "ties_during": sum(t["ties_during"] for _, t in rows),
        "new_ties": sum(len(t["new_ties"]) for _, t in rows),
        "density_before": None,
        "density_during": None,
        "network_svg": svg,
        "groups_drawn": charts_of.COLLABORATION_GROUPS_DRAWN,
        "window": [window.before, window.during],
    }


def report_content(
    *,
    program: Program,
    group: Group | None,
    since: dt.date,
    until: dt.date,
    progress: Progress = _no_progress,
) -> dict[str, Any]:
    """Everything the report shows, as plain data; ``progress`` hears how far it has come."""
    progress(10, "Describing the program")
    about, spans = description(program, group, since, until)
    progress(25, "Reading the survey waves and the coding")
    findings = qualitative.report_findings(program=program, since=since, until=until)
    method = methods(program, group, since, until, findings)
    progress(40, "Counting retention and attendance")
    kept = figures_of.retention(spans, until)
    present = attendance({s.group_id for s in spans}, since, until)
    progress(55, "Comparing productivity and collaboration")
    works = scholarship_results(program, group, until)
    content = {
        "program": program.name,
        "group": group.name if group else None,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "small_cell": figures_of.SMALL_CELL,
        "description": about,
        "methods": method,
        "benefits": _themes(findings.benefits),
        "undesirable": _themes(findings.undesirable),
        "other_themes": _themes(findings.other),
        "retention": {
            "members": kept.members,
            "retained": kept.retained,
            "dropped": kept.dropped,
            "finished": kept.finished,
            "percent": kept.retained_percent,
            "one_year": round(kept.one_year, 3),
            "two_years": round(kept.two_years, 3),
            "steps": [dataclasses.asdict(s) for s in kept.steps],
            "svg": kept.svg,
        },
        "attendance": present,
        "scholarship": works,
    }
    content["srqr"] = srqr_items(content)
    return content
