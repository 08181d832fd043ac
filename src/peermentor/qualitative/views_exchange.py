"""The workbench's REFI-QDA exchange: download the codebook or the project, upload either."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from peermentor.programs.models import Program
from peermentor.qualitative import exchange, refi
from peermentor.qualitative.access import workbench_program

MAX_UPLOAD = refi.DEFAULT_LIMITS.max_input_bytes


class RefiUploadForm(forms.Form):
    """A REFI-QDA project or codebook exported by NVivo, ATLAS.ti, MAXQDA, QualCoder or us."""

    file = forms.FileField(
        label="REFI-QDA file (.qdpx project or .qdc codebook)",
        widget=forms.ClearableFileInput(attrs={"accept": ".qdpx,.qdc"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                f"{upload.name} is {upload.size:,} bytes; the limit is {MAX_UPLOAD:,} bytes."
            )
        return upload


def _program(request: HttpRequest, slug: str) -> Program:
    return workbench_program(request.user, slug)


def _page(
    request: HttpRequest, program: Program, form: RefiUploadForm, **extra: object
) -> HttpResponse:
    return render(request, "qualitative/exchange.html", {"program": program, "form": form, **extra})


@login_required
def workbench_exchange(request: HttpRequest, slug: str) -> HttpResponse:
    """What goes into a REFI-QDA file, the downloads, and the upload form."""
    return _page(request, _program(request, slug), RefiUploadForm())


def _export(
    request: HttpRequest,
    slug: str,
    write: Callable[..., bytes],
    extension: str,
    kind: str,
) -> HttpResponse:
    """The file ``write`` makes of the workbench, or the page saying why it cannot be made."""
    program = _program(request, slug)
    try:
        data = write(program=program, actor=request.user)
    except refi.RefiError as error:
        return _page(request, program, RefiUploadForm(), problem=f"Cannot export: {error}.")
    response = HttpResponse(data, content_type=kind)
    name = f"{slugify(program.slug)}-workbench.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def workbench_export_qdpx(request: HttpRequest, slug: str) -> HttpResponse:
    """The whole workbench as a .qdpx project."""
    return _export(request, slug, exchange.export_project, "qdpx", "application/zip")


@login_required
def workbench_export_qdc(request: HttpRequest, slug: str) -> HttpResponse:
    """The codebook as a .qdc document."""
    return _export(request, slug, exchange.export_codebook, "qdc", "application/xml")


@login_required
@require_POST
def workbench_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Import a .qdpx or .qdc file, all or nothing, and say what came in."""
    program = _program(request, slug)
    form = RefiUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, program, form)
    upload = form.cleaned_data["file"]
    try:
        report = exchange.import_project(
            program=program, data=upload.read(), filename=upload.name, actor=request.user
        )
    except exchange.ExchangeError as error:
        return _page(request, program, form, problem=f"{error} Nothing was imported.")
    messages.success(
        request,
        f"Imported {report.codes} codes, {report.sources} sources, {report.codings} codings, "
        f"{report.notes} memos and {report.coders} coders from {upload.name}; "
        f"{report.already_present} were already here.",
    )
    for warning in report.warnings[:20]:
        messages.warning(request, warning)
    return redirect("workbench_exchange", slug=program.slug)
