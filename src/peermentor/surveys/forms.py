"""Forms for instruments, questions, waves, imports and the respondent form."""

from __future__ import annotations

from typing import Any

from django import forms

from peermentor.core.widgets import DateInput
from peermentor.programs.models import Group, Program
from peermentor.surveys import column_mapping
from peermentor.surveys.models import Instrument, Question, Section, Wave
from peermentor.surveys.records import CHOICE_TYPES, QuestionRecord

KEY_HELP = "Lower-case letters, digits and _, starting with a letter."
CHOICES_HELP = "One choice per line, as code=label, e.g. 1=Strongly disagree."
MAX_UPLOAD = 20 * 1024 * 1024


def parse_choices(text: str) -> list[list[str]]:
    """Choices from lines of ``code=label`` (a line without ``=`` is its own code)."""
    choices = []
    for line in (line.strip() for line in text.splitlines()):
        if line:
            code, equals, label = line.partition("=")
            choices.append([code.strip(), label.strip() if equals else code.strip()])
    return choices


def choices_text(choices: list[list[str]]) -> str:
    """The text form of a question's choices."""
    return "\n".join(f"{code}={label}" for code, label in choices)


class QuestionForm(forms.Form):
    """A question: its key, type, text, choices and whether it must be answered."""

    key = forms.RegexField(regex=r"^[a-z][a-z0-9_]{0,63}$", help_text=KEY_HELP)
    type = forms.ChoiceField(choices=Question.Type.choices)
    label = forms.CharField(
        label="Question", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    choices = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text=CHOICES_HELP
    )
    required = forms.BooleanField(required=False, label="An answer is required")

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["key"]
            del self.fields["type"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["choices"] = parse_choices(data.get("choices") or "")
        kind = data.get("type")
        if kind in CHOICE_TYPES and len(data["choices"]) < 2:
            self.add_error("choices", "List at least two choices.")
        return data


class InstrumentCsvForm(forms.Form):
    """A CSV of questions (columns section, key, type, label, choices)."""

    file = forms.FileField(label="Questions file (CSV)")


class SectionChoiceField(forms.ModelMultipleChoiceField):
    """Optional sections, each named with its instrument."""

    def label_from_instance(self, obj: Section) -> str:
        return f"{obj.title} ({obj.instrument})"


class WaveForm(forms.Form):
    """A wave: which instrument, to whom, when, and whether answers are anonymous."""

    title = forms.CharField(max_length=200)
    instrument = forms.ModelChoiceField(queryset=Instrument.objects.none(), empty_label=None)
    kind = forms.ChoiceField(choices=Wave.Kind.choices, label="Cadence")
    mode = forms.ChoiceField(
        choices=Wave.Mode.choices, widget=forms.RadioSelect, initial=Wave.Mode.ANONYMOUS
    )
    opens_on = forms.DateField(widget=DateInput)
    closes_on = forms.DateField(widget=DateInput)
    groups = forms.ModelMultipleChoiceField(
        queryset=Group.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    consent_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Consent text (identified waves)",
        help_text="What respondents agree to when their name is kept with their answers.",
    )
    left_out_sections = SectionChoiceField(
        queryset=Section.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Leave out these optional sections",
        help_text="Respondents do not see a section left out, and it is not counted in the "
        "wave's results.",
    )

    def __init__(self, *args: Any, program: Program, instruments: list[Instrument], **kwargs: Any):
        super().__init__(*args, **kwargs)
        chosen = [i.pk for i in instruments]
        self.fields["instrument"].queryset = Instrument.objects.filter(pk__in=chosen)
        self.fields["groups"].queryset = program.groups.filter(closed_on__isnull=True)
        self.fields["left_out_sections"].queryset = Section.objects.filter(
            instrument_id__in=chosen, optional=True
        ).select_related("instrument")
        if not self.fields["left_out_sections"].queryset.exists():
            del self.fields["left_out_sections"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The wave closes on or after the day it opens.")
        if (
            data.get("mode") == Wave.Mode.IDENTIFIED
            and not (data.get("consent_text") or "").strip()
        ):
            self.add_error("consent_text", "An identified wave needs a consent text.")
        instrument = data.get("instrument")
        left_out = data.get("left_out_sections") or []
        if instrument and any(s.instrument_id != instrument.pk for s in left_out):
            self.add_error(
                "left_out_sections", "Leave out only sections of the instrument you chose."
            )
        return data


class ImportForm(forms.Form):
    """A survey file, its REDCap dictionary if any, and the wave it belongs to."""

    file = forms.FileField(label="Survey file (REDCap, Qualtrics, CSV or XLSX)")
    dictionary = forms.FileField(
        required=False, label="REDCap data dictionary (only for REDCap exports)"
    )
    wave = forms.ModelChoiceField(
        queryset=Wave.objects.none(),
        required=False,
        empty_label="A new wave, with the file's questions",
        help_text="For a CSV or XLSX table, the next page asks what each column answers.",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["wave"].queryset = program.waves.all()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("file", "dictionary"):
            upload = data.get(name)
            if upload is not None and upload.size > MAX_UPLOAD:
                self.add_error(name, "The file is larger than 20 MB.")
        return data


class ColumnMappingForm(forms.Form):
    """One choice per column of an uploaded table: a question, the respondent id, or ignore."""

    def __init__(
        self,
        *args: Any,
        columns: list[str],
        questions: list[QuestionRecord] | None,
        required: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        self.required = required
        options = _role_options(questions)
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column,
                choices=options,
                initial=column_mapping.initial_choice(column, questions),
            )

    def choices(self) -> dict[str, str]:
        """The choice made for each column, by column name, in the file's order."""
        return {c: self.cleaned_data[f"column_{i}"] for i, c in enumerate(self.columns)}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            for problem in column_mapping.mapping_problems(self.choices(), self.required):
                self.add_error(None, problem)
        return data


def _role_options(questions: list[QuestionRecord] | None) -> list[Any]:
    kept = (
        [(column_mapping.NEW, "A new open-text question")]
        if questions is None
        else [("Questions of the wave", [(q.key, f"{q.key}: {q.label[:70]}") for q in questions])]
    )
    return [
        *kept,
        (column_mapping.RESPONDENT, "Respondent id (used to read rows, never kept)"),
        (column_mapping.IGNORE, "Ignore this column"),
    ]


def answers_from_post(questions: list[Question], post: Any) -> dict[str, Any]:
    """The raw answers of the respondent form, by question key."""
    answers: dict[str, Any] = {}
    for question in questions:
        name = f"q_{question.key}"
        if question.type == Question.Type.MULTIPLE_CHOICE:
            answers[question.key] = post.getlist(name)
        else:
            answers[question.key] = post.get(name, "")
    return answers
