"""Forms of the workbench's analysis pages: filters, themes, keyword rules, suggestions."""

from __future__ import annotations

from typing import Any

from django import forms

from peermentor.programs.models import Program
from peermentor.qualitative.models import Code, Polarity


class AnalysisFilterForm(forms.Form):
    """Whose coding to count, and how to split the counts."""

    coder = forms.ChoiceField(label="Coding of", required=False)
    by = forms.ChoiceField(
        label="Split by",
        required=False,
        choices=[("question", "Question"), ("wave", "Wave"), ("group", "Group")],
    )
    unit = forms.ChoiceField(
        label="Two codes co-occur when",
        required=False,
        choices=[
            ("answer", "both are applied to the same answer"),
            ("overlap", "their coded passages overlap"),
        ],
    )

    def __init__(self, *args: Any, coder_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        """Offer the program's coders."""
        super().__init__(*args, **kwargs)
        self.fields["coder"].choices = coder_choices

    def value(self, name: str, default: str) -> str:
        """The cleaned choice, or the default when it is missing or not one of the choices."""
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


def _codes(program: Program, *, codable_only: bool = False) -> Any:
    codes = Code.objects.filter(program=program).select_related("parent")
    return codes.filter(is_codable=True) if codable_only else codes


def _code_label(code: Code) -> str:
    return f"{code.parent.name} › {code.name}" if code.parent_id else code.name


class ThemeForm(forms.Form):
    """A theme: its statement, whether it is a benefit or a problem, and the codes it groups."""

    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the theme says, in a sentence or two, as the report will print it.",
    )
    polarity = forms.ChoiceField(label="Polarity", choices=Polarity.choices)
    codes = forms.ModelMultipleChoiceField(
        label="Codes",
        queryset=Code.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Answers coded with any of these codes count for the theme.",
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        """Offer the program's codes only."""
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = _codes(program)
        self.fields["codes"].label_from_instance = _code_label


class KeywordRuleForm(forms.Form):
    """ "Suggest this code for every answer containing …"."""

    code = forms.ModelChoiceField(label="Suggest the code", queryset=Code.objects.none())
    pattern = forms.CharField(
        label="For every answer containing",
        max_length=200,
        help_text="A word or phrase; case and accents are ignored.",
    )
    whole_word = forms.BooleanField(
        label="Whole words only (“stress” does not match “stressful”)",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        """Offer the program's codes that can be applied."""
        super().__init__(*args, **kwargs)
        self.fields["code"].queryset = _codes(program, codable_only=True)
        self.fields["code"].label_from_instance = _code_label


class TrainForm(forms.Form):
    """How sure the model must be before it suggests a code."""

    threshold = forms.TypedChoiceField(
        label="Suggest a code when the model is at least",
        coerce=float,
        initial=0.5,
        choices=[(0.3, "30 % sure"), (0.5, "50 % sure"), (0.7, "70 % sure"), (0.9, "90 % sure")],
    )


class ReferenceForm(forms.Form):
    """Whom the assistant's coding is compared with."""

    reference = forms.ChoiceField(label="Compare the assistant with", required=False)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        """Offer all human coding, the consensus and each coder."""
        super().__init__(*args, **kwargs)
        self.fields["reference"].choices = choices
