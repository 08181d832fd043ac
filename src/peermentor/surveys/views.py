"""Pages for surveys: instruments, waves, answering, pseudonymised answers, exports, imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from peermentor.core.audit import audit_record
from peermentor.core.authorization import allowed, get_for_user_or_404
from peermentor.core.spreadsheets import write_csv, write_xlsx
from peermentor.programs.models import Program
from peermentor.surveys import charts, pending_uploads, selectors, services
from peermentor.surveys.column_mapping import (
    build_mapping,
    column_samples,
    required_gaps,
    table_issues,
)
from peermentor.surveys.forms import (
    ColumnMappingForm,
    ImportForm,
    InstrumentCsvForm,
    QuestionForm,
    WaveForm,
    answers_from_post,
    choices_text,
)
from peermentor.surveys.models import Instrument, Question, Wave, WaveInvitee
from peermentor.surveys.reading import is_qualtrics, read_survey
from peermentor.surveys.records import LIKERT, QuestionRecord, SurveyFileError
from peermentor.surveys.tabular import inspect, read_mapped


def _program(request: HttpRequest, slug: str, need: str | None = None) -> Program:
    return get_for_user_or_404(
        request.user, Program, see="surveys.see_surveys", need=need, slug=slug
    )


def _instrument(request: HttpRequest, instrument_id: int, need: str | None = None) -> Instrument:
    return get_for_user_or_404(
        request.user,
        Instrument.objects.select_related("program"),
        see="surveys.see_surveys",
        need=need,
        pk=instrument_id,
    )


def _question(request: HttpRequest, question_id: int) -> Question:
    return get_for_user_or_404(
        request.user,
        Question.objects.select_related("instrument__program"),
        see="surveys.see_surveys",
        need="surveys.manage_surveys",
        pk=question_id,
    )


def _wave(request: HttpRequest, wave_id: int, need: str | None = None) -> Wave:
    return get_for_user_or_404(
        request.user,
        Wave.objects.select_related("program", "instrument"),
        see="surveys.see_surveys",
        need=need,
        pk=wave_id,
    )


# --- Program surveys and instruments ----------------------------------------------------------


@login_required
def program_surveys(request: HttpRequest, slug: str) -> HttpResponse:
    """A program's instruments and waves, with response rates."""
    program = _program(request, slug)
    context = {
        "program": program,
        "instruments": selectors.latest_instruments(program=program),
        "waves": selectors.waves_of_program(program=program),
        "can_manage": allowed(request.user, "surveys.manage_surveys", program),
        "can_import": allowed(request.user, "surveys.import_answers", program),
        "can_read": allowed(request.user, "surveys.see_answers", program),
    }
    return render(request, "surveys/program_surveys.html", context)


@login_required
@require_POST
def instrument_create_default(request: HttpRequest, slug: str) -> HttpResponse:
    """Add the default "Peer mentoring group evaluation" instrument to a program."""
    program = _program(request, slug, need="surveys.manage_surveys")
    instrument = services.instrument_create_default(program=program, actor=request.user)
    messages.success(request, f"“{instrument}” is ready: look it over, then open a wave.")
    return redirect("instrument_detail", instrument_id=instrument.pk)


@login_required
def instrument_detail(request: HttpRequest, instrument_id: int) -> HttpResponse:
    """The builder: questions in order with edit and move buttons, a preview, and add forms."""
    instrument = _instrument(request, instrument_id)
    can_manage = allowed(request.user, "surveys.manage_surveys", instrument)
    context = {
        "instrument": instrument,
        "program": instrument.program,
        "questions": selectors.instrument_with_questions(instrument=instrument),
        "has_responses": services.instrument_has_responses(instrument),
        "can_manage": can_manage,
        "form": QuestionForm() if can_manage else None,
        "csv_form": InstrumentCsvForm() if can_manage else None,
    }
    return render(request, "surveys/instrument_detail.html", context)


def _versioned_message(request: HttpRequest, before: Instrument, after: Instrument) -> None:
    if before.pk != after.pk:
        messages.info(
            request,
            f"This instrument already had answers, so your change made version {after.version}; "
            "the answers stay with the version they were given to.",
        )


@login_required
@require_POST
def instrument_question_add(request: HttpRequest, instrument_id: int) -> HttpResponse:
    """Add a question to an instrument (a new version when it has answers)."""
    instrument = _instrument(request, instrument_id, need="surveys.manage_surveys")
    form = QuestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("instrument_detail", instrument_id=instrument.pk)
    try:
        question = services.question_add(
            instrument=instrument, actor=request.user, **form.cleaned_data
        )
    except services.SurveyError as error:
        messages.error(request, str(error))
        return redirect("instrument_detail", instrument_id=instrument.pk)
    _versioned_message(request, instrument, question.instrument)
    messages.success(request, "Question added.")
    return redirect("instrument_detail", instrument_id=question.instrument_id)


def _form_errors(form: Any) -> str:
    return " ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())


@login_required
def instrument_question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    """Change a question's text, choices or whether it is required."""
    question = _question(request, question_id)
    initial = {
        "label": question.label,
        "choices": choices_text(question.choices),
        "required": question.required,
    }
    form = QuestionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.question_edit(
                question=question, actor=request.user, **form.cleaned_data
            )
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            _versioned_message(request, question.instrument, changed.instrument)
            messages.success(request, "Question saved.")
            return redirect("instrument_detail", instrument_id=changed.instrument_id)
    return render(request, "surveys/question_form.html", {"form": form, "question": question})


@login_required
@require_POST
def instrument_question_move(request: HttpRequest, question_id: int) -> HttpResponse:
    """Move a question up or down."""
    question = _question(request, question_id)
    try:
        moved = services.question_move(
            question=question, actor=request.user, direction=request.POST.get("direction", "")
        )
    except services.SurveyError as error:
        messages.error(request, str(error))
        return redirect("instrument_detail", instrument_id=question.instrument_id)
    _versioned_message(request, question.instrument, moved.instrument)
    return redirect("instrument_detail", instrument_id=moved.instrument_id)


@login_required
@require_POST
def instrument_questions_import(request: HttpRequest, instrument_id: int) -> HttpResponse:
    """Append questions from a CSV (all or nothing)."""
    instrument = _instrument(request, instrument_id, need="surveys.manage_surveys")
    form = InstrumentCsvForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV file of questions.")
        return redirect("instrument_detail", instrument_id=instrument.pk)
    upload = form.cleaned_data["file"]
    try:
        target = services.questions_import_csv(
            instrument=instrument, actor=request.user, data=upload.read(), filename=upload.name
        )
    except (services.SurveyError, SurveyFileError) as error:
        messages.error(request, f"Nothing was added. {error}")
        return redirect("instrument_detail", instrument_id=instrument.pk)
    _versioned_message(request, instrument, target)
    messages.success(request, "Questions added from the file.")
    return redirect("instrument_detail", instrument_id=target.pk)


# --- Waves -------------------------------------------------------------------------------------


@login_required
def wave_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Open a wave: an instrument, its groups, its dates and whether it is anonymous."""
    program = _program(request, slug, need="surveys.manage_surveys")
    instruments = selectors.latest_instruments(program=program)
    form = WaveForm(request.POST or None, program=program, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        try:
            wave = services.wave_open(program=program, actor=request.user, **form.cleaned_data)
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            invited = wave.invitees.count()
            messages.success(request, f"The wave is open: {invited} people are invited by e-mail.")
            return redirect("wave_detail", wave_id=wave.pk)
    return render(
        request,
        "surveys/wave_form.html",
        {"form": form, "program": program, "has_instrument": bool(instruments)},
    )


@dataclass
class _Chart:
    summary: selectors.ClosedSummary
    image: str | None


def _chart(summary: selectors.ClosedSummary) -> _Chart:
    if summary.suppressed:
        return _Chart(summary, None)
    labels = [choice.label for choice in summary.choices]
    counts = [choice.count for choice in summary.choices]
    draw = charts.diverging_bars if summary.question.type == LIKERT else charts.choice_bars
    return _Chart(summary, draw(labels, counts))


@login_required
def wave_detail(request: HttpRequest, wave_id: int) -> HttpResponse:
    """Response rate per group and closed-question charts with counts (small cells hidden)."""
    wave = _wave(request, wave_id)
    rates = selectors.response_rates(wave=wave)
    context = {
        "wave": wave,
        "program": wave.program,
        "rates": rates,
        "invited": sum(rate.invited for rate in rates),
        "answered": sum(rate.answered for rate in rates),
        "charts": [_chart(summary) for summary in selectors.closed_summaries(wave=wave)],
        "can_manage": allowed(request.user, "surveys.manage_surveys", wave),
        "can_read": allowed(request.user, "surveys.see_answers", wave),
        "small_cell": selectors.SMALL_CELL,
    }
    return render(request, "surveys/wave_detail.html", context)


@login_required
@require_POST
def wave_remind(request: HttpRequest, wave_id: int) -> HttpResponse:
    """E-mail a reminder to everyone invited who has not answered."""
    wave = _wave(request, wave_id, need="surveys.manage_surveys")
    try:
        waiting = services.wave_remind(wave=wave, actor=request.user)
    except services.SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"A reminder goes to the {waiting} people who have not answered.")
    return redirect("wave_detail", wave_id=wave.pk)


@login_required
def wave_answers(request: HttpRequest, wave_id: int) -> HttpResponse:
    """The answers of a wave by question, pseudonymised, for the program's evaluators."""
    wave = _wave(request, wave_id, need="surveys.see_answers")
    audit_record(action="survey.answers_viewed", actor=request.user, target=wave, request=request)
    context = {
        "wave": wave,
        "program": wave.program,
        "data": selectors.pseudonymised_answers(wave=wave, page_number=request.GET.get("page", 1)),
    }
    return render(request, "surveys/wave_answers.html", context)


@login_required
def wave_answers_export(request: HttpRequest, wave_id: int, fmt: str) -> HttpResponse:
    """The pseudonymised answers as CSV or XLSX, one row per respondent, cells neutralised."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    wave = _wave(request, wave_id, need="surveys.see_answers")
    audit_record(
        action="survey.answers_exported", actor=request.user, target=wave, request=request, fmt=fmt
    )
    data = selectors.pseudonymised_answers(wave=wave)
    header = ["respondent", "group", *(q.key for q in data.questions)]
    rows = [
        [code, group, *(values.get(q.pk, "") for q in data.questions)]
        for code, group, values in data.rows
    ]
    if fmt == "csv":
        body, kind = write_csv(rows, header), "text/csv; charset=utf-8"
    else:
        body = write_xlsx(rows, header, sheet_name=wave.title)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="wave-{wave.pk}-answers.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Imports -----------------------------------------------------------------------------------

_PROBLEMS_SHOWN = 50


@login_required
def survey_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Import answers from REDCap or Qualtrics, or keep a CSV/XLSX table for the mapping step."""
    program = _program(request, slug, need="surveys.import_answers")
    form = ImportForm(request.POST or None, request.FILES or None, program=program)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = _import(request, program, form.cleaned_data)
        except (services.SurveyError, SurveyFileError) as error:
            problems = [str(error)]
        else:
            return outcome
    return render(
        request,
        "surveys/import.html",
        {"form": form, "program": program, "problems": problems},
    )


def _imported(request: HttpRequest, summary: services.ImportSummary) -> HttpResponse:
    messages.success(
        request,
        f"Imported {summary.responses} responses ({summary.answers} answers) "
        f"into “{summary.wave}”.",
    )
    return redirect("wave_detail", wave_id=summary.wave.pk)


def _import(request: HttpRequest, program: Program, data: dict[str, Any]) -> HttpResponse:
    upload, dictionary, wave = data["file"], data.get("dictionary"), data.get("wave")
    content = upload.read()
    if dictionary is None and not is_qualtrics(content):
        _refuse_broken_table(content, upload.name)
        pending_uploads.upload_keep(
            session=request.session,
            user_id=request.user.pk,
            program_id=program.pk,
            wave_id=wave.pk if wave else None,
            data=content,
            filename=upload.name,
        )
        return redirect("survey_import_map", slug=program.slug)
    result = read_survey(
        content,
        upload.name,
        dictionary=dictionary.read() if dictionary else None,
        dictionary_name=dictionary.name if dictionary else "dictionary.csv",
    )
    summary = services.survey_import(
        program=program, result=result, filename=upload.name, actor=request.user, wave=wave
    )
    return _imported(request, summary)


def _refuse_broken_table(content: bytes, filename: str) -> None:
    """Refuse a table no mapping can fix before it is kept for the mapping step."""
    issues = table_issues(content, filename)
    if issues:
        problems = [f"{filename}, {issue}" for issue in issues[:_PROBLEMS_SHOWN]]
        raise services.SurveyError("Nothing was imported: " + "; ".join(problems))


def _question_records(questions: list[Question]) -> list[QuestionRecord]:
    return [
        QuestionRecord(q.key, q.label, q.type, tuple((str(c), str(t)) for c, t in q.choices))
        for q in questions
    ]


@login_required
def survey_import_map(request: HttpRequest, slug: str) -> HttpResponse:
    """Map each column of the uploaded table to a question, then import it all or nothing."""
    program = _program(request, slug, need="surveys.import_answers")
    pending = pending_uploads.upload_pending(
        session=request.session, user_id=request.user.pk, program_id=program.pk
    )
    if request.method == "POST" and request.POST.get("action") == "cancel":
        pending_uploads.upload_discard(session=request.session)
        messages.info(request, "The file was removed; nothing was imported.")
        return redirect("survey_import", slug=program.slug)
    if pending is None:
        return render(request, "surveys/import_map.html", {"program": program, "form": None})
    wave = program.waves.filter(pk=pending.wave_id).first() if pending.wave_id else None
    questions = list(selectors.wave_questions(wave=wave)) if wave else None
    records = _question_records(questions) if questions is not None else None
    try:
        if pending.wave_id and wave is None:
            raise SurveyFileError(
                "the wave chosen for this file no longer exists", pending.filename
            )
        info = inspect(pending.read(), pending.filename)
    except SurveyFileError as error:
        pending_uploads.upload_discard(session=request.session)
        messages.error(request, f"Nothing was imported. {error}")
        return redirect("survey_import", slug=program.slug)
    form = ColumnMappingForm(
        request.POST or None,
        columns=info.columns,
        questions=records,
        required=[q.key for q in questions or [] if q.required],
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        outcome = _import_mapped(request, program, pending, wave, form, records)
        if isinstance(outcome, HttpResponse):
            return outcome
        problems = outcome
    context = {
        "program": program,
        "form": form,
        "pending": pending,
        "wave": wave,
        "info": info,
        "rows": list(zip(form, column_samples(info), strict=True)),
        "problems": problems,
    }
    return render(request, "surveys/import_map.html", context)


def _import_mapped(
    request: HttpRequest,
    program: Program,
    pending: pending_uploads.PendingUpload,
    wave: Wave | None,
    form: ColumnMappingForm,
    records: list[QuestionRecord] | None,
) -> HttpResponse | list[str]:
    mapping = build_mapping(form.choices(), records)
    try:
        result = read_mapped(pending.read(), pending.filename, mapping)
        result.errors += required_gaps(result, mapping, form.required)
        if result.errors:
            return _listed(services.import_errors(result, pending.filename))
        summary = services.survey_import(
            program=program, result=result, filename=pending.filename, actor=request.user, wave=wave
        )
    except (services.SurveyError, SurveyFileError) as error:
        return [str(error)]
    pending_uploads.upload_discard(session=request.session)
    return _imported(request, summary)


def _listed(problems: list[str]) -> list[str]:
    more = len(problems) - _PROBLEMS_SHOWN
    return problems[:_PROBLEMS_SHOWN] + ([f"… and {more} more."] if more > 0 else [])


# --- Answering ---------------------------------------------------------------------------------


@login_required
def surveys_to_answer(request: HttpRequest) -> HttpResponse:
    """The surveys a person is invited to, with their personal links."""
    invitations = selectors.surveys_to_answer(user=request.user)
    items = [(item, services.invitee_token(item.invitee)) for item in invitations]
    return render(request, "surveys/to_answer.html", {"items": items})


@dataclass
class _Field:
    question: Question
    value: str
    values: list[str]
    error: str


def _fields(
    questions: list[Question], answers: dict[str, Any], problems: dict[str, str]
) -> list[_Field]:
    fields = []
    for question in questions:
        raw = answers.get(question.key, "")
        values = [str(v) for v in raw] if isinstance(raw, list) else [str(raw)] if raw else []
        fields.append(
            _Field(question, values[0] if values else "", values, problems.get(question.key, ""))
        )
    return fields


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The respondent form behind a personal link: save a draft, or submit once."""
    invitee = services.invitee_for_token(token)
    if invitee is None:
        return render(request, "surveys/link_invalid.html", status=404)
    if invitee.answered:
        return render(request, "surveys/already_answered.html", {"wave": invitee.wave}, status=410)
    closed = services.closed_reason(wave=invitee.wave)
    if closed:
        return render(request, "surveys/not_open.html", {"wave": invitee.wave, "reason": closed})
    questions = list(selectors.wave_questions(wave=invitee.wave))
    answers = _saved_answers(invitee)
    problems: dict[str, str] = {}
    if request.method == "POST":
        answers = answers_from_post(questions, request.POST)
        outcome = _answer_post(request, invitee, answers)
        if isinstance(outcome, HttpResponse):
            return outcome
        problems = outcome
    context = {
        "wave": invitee.wave,
        "fields": _fields(questions, answers, problems),
        "problems": problems,
        "consent": request.POST.get("consent") == "yes",
    }
    return render(request, "surveys/answer_form.html", context)


def _saved_answers(invitee: WaveInvitee) -> dict[str, Any]:
    draft = getattr(invitee, "draft", None)
    return dict(draft.answers) if draft is not None else {}


def _answer_post(
    request: HttpRequest, invitee: WaveInvitee, answers: dict[str, Any]
) -> HttpResponse | dict[str, str]:
    try:
        if request.POST.get("action") == "draft":
            services.draft_save(invitee=invitee, answers=answers)
            messages.success(request, "Draft saved. Come back with the same link to finish.")
            return {}
        services.response_submit(
            invitee=invitee, answers=answers, consent=request.POST.get("consent") == "yes"
        )
    except services.SurveyError as error:
        messages.error(request, str(error))
        return error.problems or {"": str(error)}
    return redirect("survey_thanks")


def survey_thanks(request: HttpRequest) -> HttpResponse:
    """The confirmation after submitting."""
    return render(request, "surveys/thanks.html")
