"""Pages of the workbench for coding: home, codebook, coding answers, rounds, consensus,
agreement, memos and the evaluation team. Evaluators of the program only."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from peermentor.core import charts
from peermentor.programs import services as program_services
from peermentor.programs.models import Program, ProgramRole
from peermentor.programs.services import ProgramError
from peermentor.qualitative import selectors_coding as selectors
from peermentor.qualitative import services
from peermentor.qualitative.access import workbench_program
from peermentor.qualitative.agreement import AgreementError
from peermentor.qualitative.forms import (
    CodeForm,
    FreezeForm,
    InviteForm,
    MemoForm,
    MergeForm,
    RoundForm,
    SegmentForm,
    SplitForm,
    coder_choices,
)
from peermentor.qualitative.models import (
    Code,
    CodebookVersion,
    Coder,
    CodingRound,
    Segment,
    Source,
)
from peermentor.qualitative.services import WorkbenchError
from peermentor.surveys.models import Wave

PAGE_SIZE = 10
FILTERS = ("wave", "question", "group", "respondent", "round")


def _program(request: HttpRequest, slug: str) -> Program:
    return workbench_program(request.user, slug)


def _in(program: Program, queryset: QuerySet[Any], **lookup: Any) -> Any:
    # The program was authorised first; this only keeps the lookup inside it.
    model: type[Model] = queryset.model
    field = "source__program" if model is Segment else "program"
    return get_object_or_404(queryset.filter(**{field: program}), **lookup)


def _error(request: HttpRequest, error: Exception) -> None:
    messages.error(request, str(error))


def _form_errors(form: Any) -> str:
    return " ".join(
        f"{form.fields[name].label or name}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


# --- Home, colours, team ---------------------------------------------------------------------


@login_required
def workbench_home(request: HttpRequest, slug: str) -> HttpResponse:
    """The workbench of a program: what it holds, answers to bring in, rounds, next steps."""
    program = _program(request, slug)
    context = {
        "program": program,
        "counts": selectors.workbench_counts(program=program),
        "waves": selectors.waves_to_bring_in(program=program),
        "rounds": CodingRound.objects.filter(program=program),
        "section": "home",
    }
    return render(request, "qualitative/workbench_home.html", context)


@login_required
@require_POST
def workbench_bring_in(request: HttpRequest, slug: str, wave_id: int) -> HttpResponse:
    """Bring a wave's open-text answers into the workbench, pseudonymised."""
    program = _program(request, slug)
    wave = _in(program, Wave.objects.all(), pk=wave_id)
    created = services.sources_bring_in(program=program, wave=wave, actor=request.user)
    if created:
        messages.success(request, f"{created} answers of “{wave.title}” are in the workbench.")
    else:
        messages.info(request, f"Every open-text answer of “{wave.title}” is in already.")
    return redirect("workbench_home", slug=program.slug)


@login_required
def workbench_code_styles(request: HttpRequest, slug: str) -> HttpResponse:
    """A stylesheet with each code's colour (no inline styles: the security policy forbids them)."""
    program = _program(request, slug)
    stylesheet = selectors.code_stylesheet(program=program)
    response = HttpResponse(stylesheet, content_type="text/css; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def workbench_team(request: HttpRequest, slug: str) -> HttpResponse:
    """The evaluation team: who evaluates the program, and inviting another evaluator."""
    program = _program(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program_services.invitation_create(
                program=program,
                group=None,
                email=form.cleaned_data["email"],
                role=ProgramRole.Role.EVALUATOR,
                invited_by=request.user,
                request=request,
            )
        except ProgramError as error:
            _error(request, error)
        else:
            messages.success(
                request,
                f"An invitation to evaluate {program.name} goes to {form.cleaned_data['email']}.",
            )
            return redirect("workbench_team", slug=program.slug)
    context = {
        "program": program,
        "form": form,
        "evaluators": selectors.team_evaluators(program=program),
        "invitations": selectors.open_evaluator_invitations(program=program),
        "section": "team",
    }
    return render(request, "qualitative/coding_team.html", context)


# --- Codebook --------------------------------------------------------------------------------


def _code_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "parent"}


@login_required
def workbench_codebook(request: HttpRequest, slug: str) -> HttpResponse:
    """The codebook as a tree, with a form for a new code and the frozen versions."""
    program = _program(request, slug)
    codes = Code.objects.filter(program=program)
    form = CodeForm(request.POST or None, codes=codes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            code = services.code_create(
                program=program, actor=request.user, parent=data["parent"], **_code_fields(data)
            )
        except WorkbenchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The code “{code.name}” is in the codebook.")
            return redirect("workbench_codebook", slug=program.slug)
    context = {
        "program": program,
        "form": form,
        "tree": selectors.code_tree(program=program),
        "versions": CodebookVersion.objects.filter(program=program).select_related("created_by"),
        "freeze_form": FreezeForm(),
        "section": "codebook",
    }
    return render(request, "qualitative/codebook.html", context)


@login_required
def workbench_code_edit(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """One code: edit it, move, merge, split or delete it, and its memos."""
    program = _program(request, slug)
    code = _in(program, Code.objects.select_related("parent"), pk=code_id)
    codes = Code.objects.filter(program=program)
    initial = {f: getattr(code, f) for f in services.CODE_FIELDS} | {"parent": code.parent}
    form = CodeForm(request.POST or None, codes=codes, exclude=code, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["parent"] != code.parent:
                services.code_move(code=code, actor=request.user, parent=data["parent"])
            services.code_update(code=code, actor=request.user, **_code_fields(data))
        except WorkbenchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The code “{code.name}” is saved.")
            return redirect("workbench_code_edit", slug=program.slug, code_id=code.pk)
    context = {
        "program": program,
        "code": code,
        "form": form,
        "merge_form": MergeForm(codes=codes.exclude(pk=code.pk).filter(is_codable=True)),
        "memo_form": MemoForm(),
        "memos": code.memos.select_related("author"),
        "segment_count": code.segments.count(),
        "section": "codebook",
    }
    return render(request, "qualitative/codebook_code.html", context)


@login_required
@require_POST
def workbench_code_move(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """Move a code up or down among its siblings."""
    program = _program(request, slug)
    code = _in(program, Code.objects.all(), pk=code_id)
    direction = request.POST.get("direction", "")
    if direction in ("up", "down"):
        services.code_move(code=code, actor=request.user, parent=code.parent, direction=direction)
    return redirect(reverse("workbench_codebook", args=[program.slug]) + f"#code-{code.pk}")


@login_required
@require_POST
def workbench_code_merge(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """Merge a code into another, keeping its passages and memos."""
    program = _program(request, slug)
    code = _in(program, Code.objects.all(), pk=code_id)
    form = MergeForm(request.POST, codes=Code.objects.filter(program=program).exclude(pk=code.pk))
    if not form.is_valid():
        _error(request, _form_errors(form))
        return redirect("workbench_code_edit", slug=program.slug, code_id=code.pk)
    into = form.cleaned_data["into"]
    name = code.name
    try:
        moved = services.code_merge(source_code=code, into=into, actor=request.user)
    except WorkbenchError as error:
        _error(request, error)
        return redirect("workbench_code_edit", slug=program.slug, code_id=code.pk)
    messages.success(request, f"“{name}” is merged into “{into.name}”: {moved} passages moved.")
    return redirect("workbench_code_edit", slug=program.slug, code_id=into.pk)


@login_required
def workbench_code_split(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """Split a code: a new sibling code takes the passages chosen here."""
    program = _program(request, slug)
    code = _in(program, Code.objects.all(), pk=code_id)
    segments = list(code.segments.select_related("source", "coder").order_by("source_id", "start"))
    form = SplitForm(request.POST or None, segments=segments)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["segments"]}
        try:
            new = services.code_split(
                code=code,
                new_name=form.cleaned_data["new_name"],
                segments=[s for s in segments if s.pk in chosen],
                actor=request.user,
            )
        except WorkbenchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{new.name}” now holds {len(chosen)} passages.")
            return redirect("workbench_code_edit", slug=program.slug, code_id=new.pk)
    context = {"program": program, "code": code, "form": form, "section": "codebook"}
    return render(request, "qualitative/codebook_split.html", context)


@login_required
@require_POST
def workbench_code_delete(request: HttpRequest, slug: str, code_id: int) -> HttpResponse:
    """Delete a code; with passages only when the person confirms they go too."""
    program = _program(request, slug)
    code = _in(program, Code.objects.all(), pk=code_id)
    try:
        services.code_delete(
            code=code, actor=request.user, with_segments=request.POST.get("with_segments") == "yes"
        )
    except WorkbenchError as error:
        _error(request, error)
        return redirect("workbench_code_edit", slug=program.slug, code_id=code.pk)
    messages.success(request, f"The code “{code.name}” is deleted.")
    return redirect("workbench_codebook", slug=program.slug)


@login_required
@require_POST
def workbench_starter_load(request: HttpRequest, slug: str) -> HttpResponse:
    """Add the starter codebook's codes that the codebook lacks."""
    program = _program(request, slug)
    created = services.starter_codebook_load(program=program, actor=request.user)
    messages.success(
        request,
        f"{created} starter codes added."
        if created
        else "The starter codes are all in the codebook already.",
    )
    return redirect("workbench_codebook", slug=program.slug)


@login_required
@require_POST
def workbench_codebook_freeze(request: HttpRequest, slug: str) -> HttpResponse:
    """Freeze the codebook as a new numbered version."""
    program = _program(request, slug)
    form = FreezeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    version = services.codebook_freeze(program=program, actor=request.user, note=note)
    messages.success(request, f"Codebook version {version.number} is frozen.")
    return redirect("workbench_codebook", slug=program.slug)


@login_required
def workbench_codebook_version(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A frozen codebook version, as it was."""
    program = _program(request, slug)
    version = _in(program, CodebookVersion.objects.select_related("created_by"), number=number)
    by_guid = {c["guid"]: c for c in version.snapshot}
    rows = []
    for entry in version.snapshot:
        depth, parent = 0, entry.get("parent")
        while parent in by_guid and depth < 20:
            depth, parent = depth + 1, by_guid[parent].get("parent")
        rows.append((entry, depth))
    context = {"program": program, "version": version, "rows": rows, "section": "codebook"}
    return render(request, "qualitative/codebook_version.html", context)


# --- Coding ----------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in FILTERS:
        value = request.GET.get(key, "").strip()
        if key == "respondent":
            found[key] = value[:40]
        else:
            found[key] = int(value) if value.isdigit() else None
    return found


def _querystring(filters: dict[str, Any], **extra: Any) -> str:
    kept = {k: v for k, v in {**filters, **extra}.items() if v not in (None, "")}
    return urlencode(kept)


@login_required
def workbench_coding(request: HttpRequest, slug: str) -> HttpResponse:
    """Answers to code, filtered and paginated, with coded passages highlighted."""
    program = _program(request, slug)
    filters = _filters(request)
    coder = services.coder_for(program=program, user=request.user)
    coding_round = None
    if filters["round"]:
        coding_round = _in(
            program, CodingRound.objects.prefetch_related("coders"), pk=filters["round"]
        )
    sources = selectors.sources_filtered(
        program=program,
        wave=filters["wave"],
        question=filters["question"],
        group=filters["group"],
        respondent=filters["respondent"],
    )
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    codes = selectors.codable_codes(program=program)
    context = {
        "program": program,
        "coder": coder,
        "coding_round": coding_round,
        "in_round": coding_round is not None and coder in coding_round.coders.all(),
        "items": selectors.coded_sources(
            sources=page.object_list, coder=coder, coding_round=coding_round
        ),
        "page": page,
        "codes": codes,
        "choices": selectors.filter_choices(program=program),
        "filters": filters,
        "querystring": _querystring(filters),
        "section": "coding",
    }
    return render(request, "qualitative/coding_page.html", context)


def _back_to_coding(program: Program, request: HttpRequest, source_id: int) -> HttpResponse:
    filters = _filters(request)
    query = _querystring(filters, page=request.GET.get("page", ""))
    url = reverse("workbench_coding", args=[program.slug])
    return redirect(f"{url}?{query}#source-{source_id}" if query else f"{url}#source-{source_id}")


@login_required
@require_POST
def workbench_segment_add(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    """Code a passage of an answer with one or more codes (characters counted from 1)."""
    program = _program(request, slug)
    source = _in(program, Source.objects.all(), pk=source_id)
    form = SegmentForm(request.POST, codes=Code.objects.filter(program=program, is_codable=True))
    filters = _filters(request)
    coding_round = None
    if filters["round"]:
        coding_round = _in(program, CodingRound.objects.all(), pk=filters["round"])
    if not form.is_valid():
        _error(request, f"{source.name}: {_form_errors(form)}")
        return _back_to_coding(program, request, source.pk)
    coder = services.coder_for(program=program, user=request.user)
    start, end = form.cleaned_data["first"] - 1, form.cleaned_data["last"]
    try:
        for code in form.cleaned_data["codes"]:
            services.segment_add(
                source=source,
                code=code,
                coder=coder,
                start=start,
                end=end,
                round=coding_round,
                actor=request.user,
            )
    except WorkbenchError as error:
        _error(request, error)
    else:
        names = ", ".join(c.name for c in form.cleaned_data["codes"])
        messages.success(request, f"Coded “{source.text[start:end]}” with {names}.")
    return _back_to_coding(program, request, source.pk)


@login_required
@require_POST
def workbench_segment_remove(request: HttpRequest, slug: str, segment_id: int) -> HttpResponse:
    """Remove one of my coded passages."""
    program = _program(request, slug)
    segment = _in(program, Segment.objects.select_related("round", "coder"), pk=segment_id)
    coder = services.coder_for(program=program, user=request.user)
    if segment.coder_id != coder.pk:
        _error(request, "You can remove only your own coded passages.")
    else:
        try:
            services.segment_remove(segment=segment, actor=request.user)
        except WorkbenchError as error:
            _error(request, error)
        else:
            messages.success(request, "The coded passage is removed.")
    return _back_to_coding(program, request, segment.source_id)


@login_required
def workbench_memos(request: HttpRequest, slug: str) -> HttpResponse:
    """Every memo of the workbench; POST writes one on a code, answer, passage or the project."""
    program = _program(request, slug)
    form = MemoForm(request.POST or None)
    if request.method == "POST":
        return _memo_post(request, program, form)
    context = {
        "program": program,
        "form": form,
        "memos": selectors.memos_of(program=program),
        "section": "memos",
    }
    return render(request, "qualitative/memos.html", context)


def _memo_post(request: HttpRequest, program: Program, form: MemoForm) -> HttpResponse:
    about: dict[str, Any] = {}
    code_id, source_id, segment_id = (
        request.POST.get(k, "") for k in ("code", "source", "segment")
    )
    if code_id.isdigit():
        about["code"] = _in(program, Code.objects.all(), pk=int(code_id))
    if segment_id.isdigit():
        about["segment"] = _in(
            program, Segment.objects.select_related("source"), pk=int(segment_id)
        )
    elif source_id.isdigit():
        about["source"] = _in(program, Source.objects.all(), pk=int(source_id))
    if form.is_valid():
        services.memo_save(program=program, author=request.user, **form.cleaned_data, **about)
        messages.success(request, f"The memo “{form.cleaned_data['title']}” is saved.")
    else:
        _error(request, f"The memo was not saved. {_form_errors(form)}")
    if "code" in about:
        return redirect("workbench_code_edit", slug=program.slug, code_id=about["code"].pk)
    if about:
        source = about.get("source") or about["segment"].source
        return _back_to_coding(program, request, source.pk)
    return redirect("workbench_memos", slug=program.slug)


# --- Rounds ----------------------------------------------------------------------------------


def _round(program: Program, round_id: int) -> CodingRound:
    return _in(program, CodingRound.objects.prefetch_related("coders"), pk=round_id)


@login_required
def workbench_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    """Coding rounds of the program, and a form to open one."""
    program = _program(request, slug)
    people = selectors.team_evaluators(program=program)
    others = list(Coder.objects.filter(program=program, kind__in=["assistant", "imported"]))
    form = RoundForm(request.POST or None, people=people, extra=others)
    if request.method == "POST" and form.is_valid():
        chosen = coder_choices(
            form.cleaned_data["coders"], {u.pk: u for u in people}, {c.pk: c for c in others}
        )
        coders = [
            c if isinstance(c, Coder) else services.coder_for(program=program, user=c)
            for c in chosen
        ]
        try:
            coding_round = services.round_create(
                program=program,
                name=form.cleaned_data["name"],
                blind=form.cleaned_data["blind"],
                coders=coders,
                actor=request.user,
            )
        except WorkbenchError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The round “{coding_round.name}” is open.")
            return redirect("workbench_round", slug=program.slug, round_id=coding_round.pk)
    context = {
        "program": program,
        "form": form,
        "rounds": CodingRound.objects.filter(program=program).prefetch_related("coders"),
        "section": "rounds",
    }
    return render(request, "qualitative/rounds.html", context)


@login_required
def workbench_round(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """A round: its coders and their progress, what to do next."""
    program = _program(request, slug)
    coding_round = _round(program, round_id)
    coder = services.coder_for(program=program, user=request.user)
    context = {
        "program": program,
        "coding_round": coding_round,
        "progress": selectors.round_progress(coding_round=coding_round),
        "is_coder": coder in coding_round.coders.all(),
        "section": "rounds",
    }
    return render(request, "qualitative/round_detail.html", context)


@login_required
@require_POST
def workbench_round_close(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Close a round, so the team can compare its coding."""
    program = _program(request, slug)
    coding_round = _round(program, round_id)
    try:
        services.round_close(coding_round=coding_round, actor=request.user)
    except WorkbenchError as error:
        _error(request, error)
        return redirect("workbench_round", slug=program.slug, round_id=coding_round.pk)
    messages.success(request, f"The round “{coding_round.name}” is closed: compare its coding.")
    return redirect("workbench_round_compare", slug=program.slug, round_id=coding_round.pk)


@login_required
def workbench_round_compare(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Each disagreement of a closed round side by side, with keep or drop for the consensus."""
    program = _program(request, slug)
    coding_round = _round(program, round_id)
    context = {
        "program": program,
        "coding_round": coding_round,
        "coders": list(coding_round.coders.all()),
        "disagreements": []
        if coding_round.is_open
        else selectors.disagreements(coding_round=coding_round),
        "section": "rounds",
    }
    return render(request, "qualitative/round_compare.html", context)


@login_required
@require_POST
def workbench_consensus(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Keep a disagreeing passage in the consensus coding, or drop it."""
    program = _program(request, slug)
    coding_round = _round(program, round_id)
    post = request.POST
    source = _in(program, Source.objects.all(), pk=_int(post.get("source")))
    code = _in(program, Code.objects.all(), pk=_int(post.get("code")))
    try:
        services.consensus_record(
            coding_round=coding_round,
            source=source,
            code=code,
            start=_int(post.get("start")),
            end=_int(post.get("end")),
            keep=post.get("keep") == "yes",
            actor=request.user,
        )
    except WorkbenchError as error:
        _error(request, error)
    url = reverse("workbench_round_compare", args=[program.slug, coding_round.pk])
    return redirect(f"{url}#d-{source.pk}-{code.pk}")


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else -1


@login_required
@require_POST
def workbench_consensus_agreed(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Copy every passage all coders agreed on into the consensus coding."""
    program = _program(request, slug)
    coding_round = _round(program, round_id)
    try:
        copied = services.consensus_accept_agreed(coding_round=coding_round, actor=request.user)
    except WorkbenchError as error:
        _error(request, error)
    else:
        messages.success(request, f"{copied} agreed passages copied into the consensus coding.")
    return redirect("workbench_round_compare", slug=program.slug, round_id=coding_round.pk)


@login_required
def workbench_round_agreement(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """Agreement of the round's coders per code and pooled, by answer or by character."""
    program = _program(request, slug)
    coding_round = _round(program, round_id)
    unit = request.GET.get("unit", "answer")
    if unit not in ("answer", "character"):
        unit = "answer"
    result = None
    chart = ""
    if not coding_round.is_open:
        try:
            result = selectors.round_agreement(coding_round=coding_round, unit=unit)
        except AgreementError as error:
            _error(request, error)
        if result is not None and result.rows:
            chart = _agreement_chart(result)
    context = {
        "program": program,
        "coding_round": coding_round,
        "unit": unit,
        "result": result,
        "chart": chart,
        "section": "rounds",
    }
    return render(request, "qualitative/agreement.html", context)


def _agreement_chart(result: selectors.RoundAgreement) -> str:
    names = [row.name for row in result.rows]
    series = {}
    for key, label in (("krippendorff_alpha", "Krippendorff's α"), ("gwet_ac1", "Gwet's AC1")):
        series[label] = [
            max(0.0, next(f.value for f in row.figures if f.key == key) or 0.0)
            for row in result.rows
        ]
    svg = charts.grouped_bars(names, series, ylabel="Coefficient (negative shown as 0)")
    return charts.data_uri(svg)
