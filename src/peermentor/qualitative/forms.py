"""Forms of the workbench: validation of what people type, nothing more."""

from __future__ import annotations

from typing import Any

from django import forms

from peermentor.qualitative.models import Code, Coder, Polarity


class _Form(forms.Form):
    """Labels without a trailing colon, as elsewhere in the workbench's own markup."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


COLOUR_HELP = "A colour for highlighting, as #rrggbb (the code's name is always shown too)."


class CodeForm(_Form):
    """A code's name, place in the tree and guidance."""

    name = forms.CharField(max_length=200)
    parent = forms.ModelChoiceField(
        queryset=Code.objects.none(),
        required=False,
        empty_label="(top level)",
        label="Under",
    )
    definition = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    when_to_use = forms.CharField(
        label="When to use", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    when_not_to_use = forms.CharField(
        label="When not to use", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    example = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    color = forms.RegexField(
        label="Colour",
        regex=r"^#[0-9a-fA-F]{6}$",
        initial="#1f6feb",
        help_text=COLOUR_HELP,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    polarity = forms.ChoiceField(choices=Polarity.choices, initial=Polarity.NEUTRAL)
    is_codable = forms.BooleanField(
        label="Passages can be coded with it (untick for a folder that only groups codes)",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, codes: Any = None, exclude: Code | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        queryset = codes if codes is not None else Code.objects.none()
        if exclude is not None:
            queryset = queryset.exclude(pk=exclude.pk)
        self.fields["parent"].queryset = queryset  # type: ignore[attr-defined]


class MergeForm(_Form):
    """The code another code is merged into."""

    into = forms.ModelChoiceField(queryset=Code.objects.none(), label="Merge into")

    def __init__(self, *args: Any, codes: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = codes  # type: ignore[attr-defined]


class SplitForm(_Form):
    """A new code's name and the passages that move to it."""

    new_name = forms.CharField(max_length=200, label="Name of the new code")
    segments = forms.MultipleChoiceField(
        label="Passages that move to the new code",
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, segments: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["segments"].choices = [  # type: ignore[attr-defined]
            (str(s.pk), f"{s.source.name} — “{s.source.text[s.start : s.end]}” ({s.coder})")
            for s in segments
        ]


class SegmentForm(_Form):
    """A passage of an answer, counted in characters from 1 (both ends included), and codes."""

    first = forms.IntegerField(label="From character", min_value=1)
    last = forms.IntegerField(label="To character", min_value=1)
    codes = forms.ModelMultipleChoiceField(
        queryset=Code.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, codes: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["codes"].queryset = codes  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first is not None and last is not None and last < first:
            raise forms.ValidationError("“To character” must not come before “From character”.")
        return data


class MemoForm(_Form):
    """A memo's title and text."""

    title = forms.CharField(max_length=200)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Memo")


class RoundForm(_Form):
    """A new coding round."""

    name = forms.CharField(max_length=200)
    blind = forms.BooleanField(
        required=False,
        initial=True,
        label="Blind: each coder sees only their own coding until the round closes",
    )
    coders = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, choices=(), help_text="Choose two or more."
    )

    def __init__(self, *args: Any, people: Any, extra: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [(f"user-{u.pk}", str(u)) for u in people]
        choices += [(f"coder-{c.pk}", f"{c.name} ({c.get_kind_display().lower()})") for c in extra]
        self.fields["coders"].choices = choices  # type: ignore[attr-defined]


class FreezeForm(_Form):
    """A note for a frozen codebook version."""

    note = forms.CharField(max_length=300, required=False, label="Note (what changed, why)")


class InviteForm(_Form):
    """The e-mail address of a colleague invited to evaluate the program."""

    email = forms.EmailField(label="E-mail address")


def coder_choices(values: list[str], people: dict[int, Any], coders: dict[int, Coder]) -> list[Any]:
    """Split the chosen ``user-N`` / ``coder-N`` values into people and existing coders."""
    chosen: list[Any] = []
    for value in values:
        kind, _, number = value.partition("-")
        if kind == "user" and int(number) in people:
            chosen.append(people[int(number)])
        elif kind == "coder" and int(number) in coders:
            chosen.append(coders[int(number)])
    return chosen
