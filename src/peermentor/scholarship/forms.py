"""Forms for importing works and recording career events."""

from __future__ import annotations

from django import forms

from peermentor.core.widgets import DateInput
from peermentor.scholarship.models import CareerEvent


class WorksFileForm(forms.Form):
    """A file of works from PubMed, ORCID, a reference manager, or the CSV template."""

    file = forms.FileField(
        label="File of works",
        help_text="PubMed XML, MEDLINE (.nbib), ORCID (JSON or XML), BibTeX, RIS, CSL-JSON, "
        "Crossref JSON or the CSV template; up to 50 MB.",
    )
    dry_run = forms.BooleanField(required=False, label="Only check the file; save nothing")


class CareerEventForm(forms.ModelForm[CareerEvent]):
    """A promotion, award or leadership role."""

    class Meta:
        model = CareerEvent
        fields = ["kind", "title", "date"]
        widgets = {"date": DateInput}
