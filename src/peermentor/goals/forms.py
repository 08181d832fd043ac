"""Forms for goals, check-ins, curriculum topics, plans and resources."""

from __future__ import annotations

from typing import Any

from django import forms

from peermentor.core.widgets import DateInput
from peermentor.goals.models import CurriculumTopic, Goal, Milestone, Resource


class GoalForm(forms.ModelForm[Goal]):
    """A goal: what, which kind, what done looks like, by when, and who sees it."""

    milestones = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One step per line (optional).",
    )

    class Meta:
        model = Goal
        fields = ["title", "category", "done_looks_like", "target_date", "group", "visibility"]
        widgets = {"target_date": DateInput, "done_looks_like": forms.Textarea(attrs={"rows": 3})}
        labels = {"group": "Group that holds me to it", "visibility": "Who sees this goal"}
        help_texts = {
            "visibility": "Private by default. Shared goals appear in your group's "
            "accountability round."
        }

    def __init__(self, *args: Any, groups: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["group"].empty_label = None
        if editing:
            del self.fields["milestones"]
            self.fields["status"] = forms.ChoiceField(
                choices=Goal.Status.choices, initial=self.instance.status
            )

    def milestone_titles(self) -> list[str]:
        text = self.cleaned_data.get("milestones") or ""
        return [line.strip() for line in text.splitlines() if line.strip()][:20]


class CheckInForm(forms.Form):
    """Progress on a goal."""

    progress = forms.IntegerField(min_value=0, max_value=100, required=False, label="Progress (%)")
    milestone = forms.ModelChoiceField(
        queryset=Milestone.objects.none(), required=False, label="Milestone reached"
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    blocker = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        label="What is in the way",
    )

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = goal.milestones.filter(reached_on__isnull=True)
        self.prefix = f"goal-{goal.pk}"


class MilestoneForm(forms.Form):
    """A step towards a goal."""

    title = forms.CharField(max_length=200, label="New milestone")


class TopicForm(forms.ModelForm[CurriculumTopic]):
    """A topic of the program's library."""

    class Meta:
        model = CurriculumTopic
        fields = ["title", "description", "questions", "resources"]
        widgets = {
            f: forms.Textarea(attrs={"rows": 4}) for f in ("description", "questions", "resources")
        }


class AdoptTopicForm(forms.Form):
    """Which topic, at which meeting."""

    topic = forms.ModelChoiceField(queryset=CurriculumTopic.objects.none())
    meeting = forms.ModelChoiceField(queryset=None)  # type: ignore[arg-type]
    minutes = forms.IntegerField(min_value=5, max_value=240, initial=30, label="Time box (minutes)")

    def __init__(self, *args: Any, topics: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: f"{m.starts_at:%A %-d %B %Y}"


class ResourceForm(forms.Form):
    """A link, file or opportunity to share with the group."""

    kind = forms.ChoiceField(
        choices=Resource.Kind.choices,
        widget=forms.RadioSelect,
        initial=Resource.Kind.LINK,
        label="What are you sharing?",
    )
    title = forms.CharField(max_length=200)
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    file = forms.FileField(
        required=False, help_text="PDF, Word, PowerPoint, Excel, text or an image; at most 10 MB."
    )
    opportunity = forms.ChoiceField(
        choices=[("", "—"), *Resource.Opportunity.choices],
        required=False,
        label="Kind of opportunity",
    )
    deadline = forms.DateField(widget=DateInput, required=False)
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
