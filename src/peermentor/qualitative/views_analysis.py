"""Pages of the workbench's analysis: code counts, co-occurrence, codes by group, themes and
exemplars, assisted coding and keyword rules — for the program's evaluators only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peermentor.core import charts
from peermentor.core.audit import audit_record
from peermentor.core.spreadsheets import Cell, write_csv, write_xlsx
from peermentor.programs.models import Program
from peermentor.qualitative import assist as assisted
from peermentor.qualitative import selectors
from peermentor.qualitative import services_analysis as services
from peermentor.qualitative.access import workbench_object, workbench_program
from peermentor.qualitative.forms_analysis import (
    AnalysisFilterForm,
    KeywordRuleForm,
    ReferenceForm,
    ThemeForm,
    TrainForm,
)
from peermentor.qualitative.models import Exemplar, KeywordRule, Suggestion, Theme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEATMAP_MAX_CODES = 40


def _program(request: HttpRequest, slug: str) -> Program:
    return workbench_program(request.user, slug)


def _theme(request: HttpRequest, slug: str, theme_id: int) -> Theme:
    themes = Theme.objects.select_related("program").filter(program__slug=slug)
    return workbench_object(request.user, themes, pk=theme_id)


def _download(
    rows: Sequence[Sequence[Cell]], header: Sequence[Cell], fmt: str, name: str
) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(write_csv(rows, header), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(write_xlsx(rows, header, sheet_name=name), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _errors(form: Any) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# --- Analysis ----------------------------------------------------------------------------------


def _filters(request: HttpRequest, program: Program) -> AnalysisFilterForm:
    choices = selectors.analysis_coder_choices(program=program)
    return AnalysisFilterForm(request.GET or None, coder_choices=choices)


def _choices(form: AnalysisFilterForm) -> dict[str, str]:
    return {
        "coder": form.value("coder", selectors.ALL_CODERS),
        "by": form.value("by", "question"),
        "unit": form.value("unit", "answer"),
    }


def _analysis_context(request: HttpRequest, program: Program, page: str) -> dict[str, Any]:
    form = _filters(request, program)
    return {
        "program": program,
        "form": form,
        "chosen": _choices(form),
        "query": request.GET.urlencode(),
        "page": page,
        "section": "analysis",
    }


@login_required
def analysis_frequencies(request: HttpRequest, slug: str) -> HttpResponse:
    """Passages, answers and respondents per code, overall and per question, wave or group."""
    program = _program(request, slug)
    context = _analysis_context(request, program, "frequencies")
    chosen = context["chosen"]
    context["frequencies"] = selectors.code_frequencies(
        program=program, viewer=request.user, coder=chosen["coder"], by=chosen["by"]
    )
    return render(request, "qualitative/analysis_frequencies.html", context)


def _heatmap(matrix: selectors.Matrix) -> str | None:
    """Counts of co-occurring codes as shaded squares with the number in each."""
    size = len(matrix.rows)
    if not size or size > HEATMAP_MAX_CODES:
        return None
    plt = charts.pyplot()
    side = max(3.0, 0.45 * size + 2.0)
    figure, axes = plt.subplots(figsize=(side, side))
    axes.imshow(matrix.cells, cmap="Blues")
    names = [row.path if len(row.path) <= 28 else row.path[:27] + "…" for row in matrix.rows]
    axes.set_xticks(range(size), names, rotation=60, ha="right")
    axes.set_yticks(range(size), names)
    peak = max((max(row) for row in matrix.cells), default=0)
    for i, row in enumerate(matrix.cells):
        for j, value in enumerate(row):
            dark = peak and value > peak * 0.6
            axes.text(
                j, i, str(value), ha="center", va="center", color="white" if dark else "black"
            )
    return charts.data_uri(charts.to_svg(figure))


@login_required
def analysis_cooccurrence(request: HttpRequest, slug: str) -> HttpResponse:
    """Which codes are applied together, as a table and a shaded chart of the same numbers."""
    program = _program(request, slug)
    context = _analysis_context(request, program, "cooccurrence")
    chosen = context["chosen"]
    matrix = selectors.code_cooccurrence(
        program=program, viewer=request.user, coder=chosen["coder"], unit=chosen["unit"]
    )
    context.update(matrix=matrix, rows=zip(matrix.rows, matrix.cells, strict=True))
    context["chart"] = _heatmap(matrix)
    return render(request, "qualitative/analysis_cooccurrence.html", context)


@login_required
def analysis_groups(request: HttpRequest, slug: str) -> HttpResponse:
    """Answers carrying each code in each group (groups under five members merged)."""
    program = _program(request, slug)
    context = _analysis_context(request, program, "groups")
    matrix = selectors.code_group_matrix(
        program=program, viewer=request.user, coder=context["chosen"]["coder"]
    )
    context.update(matrix=matrix, rows=zip(matrix.rows, matrix.cells, strict=True))
    context["small_groups"] = selectors.SMALL_GROUPS
    return render(request, "qualitative/analysis_groups.html", context)


def _frequency_rows(frequencies: selectors.Frequencies) -> list[list[Cell]]:
    sections = [("All answers", frequencies.overall), *frequencies.sections]
    return [
        [name, c.code.path, c.code.polarity, c.segments, c.answers, c.respondents]
        for name, counts in sections
        for c in counts
    ]


def _matrix_rows(matrix: selectors.Matrix) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [label.path, *cells] for label, cells in zip(matrix.rows, matrix.cells, strict=True)
    ]
    if matrix.column_totals:
        rows.append(["Answers in the group (coded or not)", *matrix.column_totals])
    return rows


@login_required
def analysis_export(request: HttpRequest, slug: str, kind: str, fmt: str) -> HttpResponse:
    """One analysis table as CSV or XLSX, with the page's filters; cells neutralised."""
    if fmt not in ("csv", "xlsx") or kind not in ("frequencies", "cooccurrence", "groups"):
        raise Http404
    program = _program(request, slug)
    audit_record(
        action="workbench.analysis_exported", actor=request.user, target=program,
        request=request, table=kind, fmt=fmt,
    )  # fmt: skip
    chosen = _choices(_filters(request, program))
    common = {"program": program, "viewer": request.user, "coder": chosen["coder"]}
    if kind == "frequencies":
        frequencies = selectors.code_frequencies(**common, by=chosen["by"])
        header = [chosen["by"], "code", "polarity", "passages", "answers", "respondents"]
        rows = _frequency_rows(frequencies)
    else:
        if kind == "cooccurrence":
            matrix = selectors.code_cooccurrence(**common, unit=chosen["unit"])
        else:
            matrix = selectors.code_group_matrix(**common)
        header, rows = ["code", *matrix.columns], _matrix_rows(matrix)
    return _download(rows, header, fmt, f"{program.slug}-{kind}")


# --- Themes and exemplars ----------------------------------------------------------------------


@login_required
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's themes in report order, with their codes, respondents and exemplars."""
    program = _program(request, slug)
    items = selectors.themes_overview(program=program)
    respondents = selectors.theme_respondents(program=program, viewer=request.user, themes=items)
    context = {
        "program": program,
        "themes": [
            {
                "theme": theme,
                "respondents": respondents[theme.pk],
                "quotes": len(theme.exemplars.all()),
                "published": sum(e.published for e in theme.exemplars.all()),
            }
            for theme in items
        ],
        "form": ThemeForm(program=program),
        "page": "themes",
        "section": "themes",
    }
    return render(request, "qualitative/themes.html", context)


@login_required
@require_POST
def theme_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a theme from the form on the themes page."""
    program = _program(request, slug)
    form = ThemeForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, f"The theme was not added: {_errors(form)}")
        return redirect("themes", slug=program.slug)
    try:
        theme = services.theme_create(program=program, actor=request.user, **form.cleaned_data)
    except services.AnalysisError as error:
        messages.error(request, str(error))
        return redirect("themes", slug=program.slug)
    messages.success(request, f"Theme “{theme.name}” added. Now choose its exemplar quotes.")
    return redirect("theme_detail", slug=program.slug, theme_id=theme.pk)


@login_required
def theme_detail(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """A theme's wording and codes, its exemplars, and coded passages to quote."""
    theme = _theme(request, slug, theme_id)
    initial = {
        "name": theme.name,
        "description": theme.description,
        "polarity": theme.polarity,
        "codes": list(theme.codes.all()),
    }
    context = {
        "program": theme.program,
        "theme": theme,
        "form": ThemeForm(initial=initial, program=theme.program),
        "exemplars": list(theme.exemplars.order_by("created_at")),
        "candidates": selectors.exemplar_candidates(theme=theme, viewer=request.user),
        "max_candidates": selectors.MAX_CANDIDATES,
        "page": "themes",
        "section": "themes",
    }
    return render(request, "qualitative/theme_detail.html", context)


@login_required
@require_POST
def theme_update(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """Save a theme's wording, polarity and codes."""
    theme = _theme(request, slug, theme_id)
    form = ThemeForm(request.POST, program=theme.program)
    if not form.is_valid():
        messages.error(request, f"The theme was not saved: {_errors(form)}")
    else:
        try:
            services.theme_update(theme=theme, actor=request.user, **form.cleaned_data)
        except services.AnalysisError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Theme saved.")
    return redirect("theme_detail", slug=slug, theme_id=theme.pk)


@login_required
@require_POST
def theme_delete(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """Delete a theme with its exemplars; the coding stays."""
    theme = _theme(request, slug, theme_id)
    services.theme_delete(theme=theme, actor=request.user)
    messages.success(request, f"Theme “{theme.name}” deleted; the coding it grouped stays.")
    return redirect("themes", slug=slug)


@login_required
@require_POST
def theme_move(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """Move a theme up or down the report's order."""
    theme = _theme(request, slug, theme_id)
    try:
        services.theme_move(
            theme=theme, actor=request.user, direction=request.POST.get("direction", "")
        )
    except services.AnalysisError as error:
        messages.error(request, str(error))
    return redirect(f"{_url('themes', slug)}#theme-{theme.pk}")


def _url(name: str, slug: str) -> str:
    return reverse(name, kwargs={"slug": slug})


@login_required
@require_POST
def exemplar_add(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """Quote a coded passage as an exemplar of the theme (not published yet)."""
    theme = _theme(request, slug, theme_id)
    segments = selectors.analysed_segments(program=theme.program, viewer=request.user)
    segment = get_object_or_404(
        segments.select_related("source"), pk=_number(request.POST.get("segment"))
    )
    try:
        services.exemplar_add(theme=theme, segment=segment, actor=request.user)
    except services.AnalysisError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Quote added. Read it again, then publish it for the report.")
    return redirect("theme_detail", slug=slug, theme_id=theme.pk)


def _number(value: str | None) -> int:
    if value is None or not value.isdigit():
        raise Http404
    return int(value)


def _exemplar(request: HttpRequest, slug: str, exemplar_id: int) -> Exemplar:
    program = _program(request, slug)
    exemplars = Exemplar.objects.select_related("theme", "source")
    return get_object_or_404(exemplars, theme__program=program, pk=exemplar_id)


@login_required
@require_POST
def exemplar_publish(request: HttpRequest, slug: str, exemplar_id: int) -> HttpResponse:
    """Publish an exemplar for the report (``published=1``) or take it back (``published=0``)."""
    exemplar = _exemplar(request, slug, exemplar_id)
    published = request.POST.get("published") == "1"
    services.exemplar_set_published(exemplar=exemplar, actor=request.user, published=published)
    messages.success(
        request,
        "The report now quotes it." if published else "The report no longer quotes it.",
    )
    return redirect("theme_detail", slug=slug, theme_id=exemplar.theme_id)


@login_required
@require_POST
def exemplar_remove(request: HttpRequest, slug: str, exemplar_id: int) -> HttpResponse:
    """Drop an exemplar from its theme."""
    exemplar = _exemplar(request, slug, exemplar_id)
    services.exemplar_remove(exemplar=exemplar, actor=request.user)
    messages.success(request, "Quote removed from the theme.")
    return redirect("theme_detail", slug=slug, theme_id=exemplar.theme_id)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


@login_required
def themes_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Themes and their exemplar quotes as CSV or XLSX, one row per quote."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    program = _program(request, slug)
    audit_record(
        action="workbench.themes_exported", actor=request.user, target=program,
        request=request, fmt=fmt,
    )  # fmt: skip
    items = selectors.themes_overview(program=program)
    respondents = selectors.theme_respondents(program=program, viewer=request.user, themes=items)
    header = [
        "order", "theme", "polarity", "description", "codes", "respondents",
        "respondent", "quote", "published",
    ]  # fmt: skip
    rows: list[list[Cell]] = []
    for order, theme in enumerate(items, start=1):
        codes = "; ".join(code.name for code in theme.codes.all())
        head: list[Cell] = [
            order, theme.name, theme.polarity, theme.description, codes, respondents[theme.pk]
        ]  # fmt: skip
        quotes = [[e.respondent, e.quote, _yes_no(e.published)] for e in theme.exemplars.all()]
        rows.extend([*head, *quote] for quote in quotes or [["", "", ""]])
    return _download(rows, header, fmt, f"{program.slug}-themes")


# --- Assisted coding ---------------------------------------------------------------------------


@login_required
def assist(request: HttpRequest, slug: str) -> HttpResponse:
    """Pending suggestions with their confidence and what the model learned from."""
    program = _program(request, slug)
    pending, total = selectors.pending_suggestions(program=program)
    trained_on, per_code = selectors.training_counts(program=program)
    context = {
        "program": program,
        "pending": pending,
        "total": total,
        "counts": selectors.suggestion_counts(program=program),
        "trained_on": trained_on,
        "per_code": [(label, n) for label, n in per_code if n],
        "min_examples": assisted.MIN_EXAMPLES,
        "uncoded": selectors.uncoded_count(program=program),
        "form": TrainForm(),
        "page": "assist",
        "section": "assist",
    }
    return render(request, "qualitative/suggestion_list.html", context)


@login_required
@require_POST
def assist_train(request: HttpRequest, slug: str) -> HttpResponse:
    """Learn from the team's coding now, and propose codes for the answers nobody coded."""
    program = _program(request, slug)
    form = TrainForm(request.POST)
    threshold = form.cleaned_data["threshold"] if form.is_valid() else 0.5
    summary = services.suggestions_refresh(program=program, actor=request.user, threshold=threshold)
    messages.success(
        request,
        f"Learned from {_n(summary.trained_on, 'coded answer')} "
        f"({_n(summary.codes_learned, 'code')}) in {summary.seconds:.1f} s: "
        f"{_n(summary.from_model, 'suggestion')} from the model and "
        f"{summary.from_rules} from keyword rules, for "
        f"{_n(summary.answers_considered, 'answer')} nobody has coded.",
    )
    return redirect("assisted_coding", slug=program.slug)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _suggestion(request: HttpRequest, slug: str, suggestion_id: int) -> Suggestion:
    program = _program(request, slug)
    suggestions = Suggestion.objects.select_related("source__program", "code")
    return get_object_or_404(suggestions, source__program=program, pk=suggestion_id)


@login_required
@require_POST
def suggestion_accept(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    """Apply the suggested code to the whole answer, under the assistant coder."""
    suggestion = _suggestion(request, slug, suggestion_id)
    try:
        services.suggestion_accept(suggestion=suggestion, actor=request.user)
    except services.AnalysisError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"“{suggestion.code.name}” applied to {suggestion.source.name} by the assistant coder.",
        )
    return redirect(f"{_url('assisted_coding', slug)}#suggestions")


@login_required
@require_POST
def suggestion_reject(request: HttpRequest, slug: str, suggestion_id: int) -> HttpResponse:
    """Turn a suggestion down for good."""
    suggestion = _suggestion(request, slug, suggestion_id)
    try:
        services.suggestion_reject(suggestion=suggestion, actor=request.user)
    except services.AnalysisError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"“{suggestion.code.name}” will not be suggested for this answer again."
        )
    return redirect(f"{_url('assisted_coding', slug)}#suggestions")


@login_required
def assist_agreement(request: HttpRequest, slug: str) -> HttpResponse:
    """How far the assistant agrees with human coding: on answers both coded, and held out."""
    program = _program(request, slug)
    choices = selectors.assistant_reference_choices(program=program)
    form = ReferenceForm(request.GET or None, choices=choices)
    reference = selectors.HUMAN
    if form.is_valid() and form.cleaned_data["reference"]:
        reference = form.cleaned_data["reference"]
    answers, rows, pooled = selectors.assistant_agreement(program=program, reference=reference)
    context = {
        "program": program,
        "form": form,
        "answers": answers,
        "rows": rows,
        "pooled": pooled,
        "heldout": selectors.heldout_agreement(program=program),
        "page": "agreement",
        "section": "assist",
    }
    return render(request, "qualitative/suggestion_agreement.html", context)


# --- Keyword rules -----------------------------------------------------------------------------


@login_required
def rules(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's keyword rules and a form to add one."""
    program = _program(request, slug)
    context = {
        "program": program,
        "rules": selectors.keyword_rules(program=program),
        "form": KeywordRuleForm(program=program),
        "page": "rules",
        "section": "assist",
    }
    return render(request, "qualitative/rules.html", context)


@login_required
@require_POST
def rule_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a keyword rule; its suggestions appear at the next "Suggest codes"."""
    program = _program(request, slug)
    form = KeywordRuleForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, f"The rule was not added: {_errors(form)}")
        return redirect("keyword_rules", slug=slug)
    try:
        services.keyword_rule_create(program=program, actor=request.user, **form.cleaned_data)
    except services.AnalysisError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Rule added. Its suggestions appear when you next suggest codes.")
    return redirect("keyword_rules", slug=slug)


@login_required
@require_POST
def rule_delete(request: HttpRequest, slug: str, rule_id: int) -> HttpResponse:
    """Delete a keyword rule; decisions already made on its suggestions stay."""
    rules_ = KeywordRule.objects.select_related("program").filter(program__slug=slug)
    rule = workbench_object(request.user, rules_, pk=rule_id)
    services.keyword_rule_delete(rule=rule, actor=request.user)
    messages.success(request, "Rule deleted.")
    return redirect("keyword_rules", slug=slug)
