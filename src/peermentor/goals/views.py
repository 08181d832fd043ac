"""Pages for goals and check-ins, the development plan, curriculum topics, year plans and the
resources board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from peermentor.core.audit import audit_record
from peermentor.core.authorization import allowed, get_for_user_or_404
from peermentor.core.pdf import PdfUnavailable, html_to_pdf
from peermentor.goals import selectors, services
from peermentor.goals.forms import (
    AdoptTopicForm,
    CheckInForm,
    GoalForm,
    MilestoneForm,
    ResourceForm,
    TopicForm,
)
from peermentor.goals.models import CurriculumTopic, Goal, Resource, TopicPlan
from peermentor.goals.uploads import UploadRefused
from peermentor.meetings.models import Meeting
from peermentor.programs.access import group_for_content
from peermentor.programs.models import Group, Program


def _my_groups(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Group.objects.filter(
        memberships__user=request.user, memberships__left_on__isnull=True
    ).distinct()


def _goal(request: HttpRequest, goal_id: int, need: str | None = None) -> Goal:
    return get_for_user_or_404(
        request.user,
        Goal.objects.select_related("group", "owner"),
        see="goals.see_goal",
        need=need,
        pk=goal_id,
    )


# --- Goals -----------------------------------------------------------------------------------


@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    """My goals: what is due soon, what has stalled, and everything else."""
    return render(
        request,
        "goals/goal_list.html",
        {"mine": selectors.my_goals(user=request.user), "has_group": _my_groups(request).exists()},
    )


@login_required
def goal_create(request: HttpRequest) -> HttpResponse:
    """Set a new goal."""
    groups = _my_groups(request)
    if not groups.exists():
        messages.info(request, "Goals are held to account by a group; join one first.")
        return redirect("goal_list")
    form = GoalForm(request.POST or None, groups=groups)
    if request.method == "POST" and form.is_valid():
        data = {f: form.cleaned_data[f] for f in services.GOAL_FIELDS if f in form.cleaned_data}
        goal = services.goal_create(
            owner=request.user,
            group=form.cleaned_data["group"],
            milestones=form.milestone_titles(),
            **data,
        )
        messages.success(
            request,
            "Your goal is set." if goal.visibility == "private" else "Your goal is set and shared.",
        )
        return redirect("goal_detail", goal_id=goal.pk)
    return render(request, "goals/goal_form.html", {"form": form})


@login_required
def goal_detail(request: HttpRequest, goal_id: int) -> HttpResponse:
    """A goal with its milestones and every check-in."""
    goal = _goal(request, goal_id)
    is_owner = goal.owner_id == request.user.pk
    context = {
        "goal": goal,
        "is_owner": is_owner,
        "checkins": goal.check_ins.select_related("meeting", "milestone"),
        "checkin_form": CheckInForm(goal=goal) if is_owner else None,
        "milestone_form": MilestoneForm() if is_owner else None,
    }
    return render(request, "goals/goal_detail.html", context)


@login_required
def goal_edit(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Change a goal, its status, or who sees it."""
    goal = _goal(request, goal_id, need="goals.change_goal")
    form = GoalForm(request.POST or None, instance=goal, groups=_my_groups(request), editing=True)
    if request.method == "POST" and form.is_valid():
        services.goal_update(
            goal=goal, actor=request.user, **{f: form.cleaned_data[f] for f in services.GOAL_FIELDS}
        )
        messages.success(request, "Goal saved.")
        return redirect("goal_detail", goal_id=goal.pk)
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal})


@login_required
@require_POST
def goal_checkin(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Record progress on one's own goal, from its page or the accountability round."""
    goal = _goal(request, goal_id, need="goals.change_goal")
    meeting = _checkin_meeting(request, goal)
    form = CheckInForm(request.POST, goal=goal)
    if form.is_valid():
        try:
            services.checkin_record(
                goal=goal, actor=request.user, meeting=meeting, **form.cleaned_data
            )
            messages.success(request, f"Check-in recorded for “{goal.title}”.")
        except services.GoalError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, "Progress is a percentage from 0 to 100.")
    if meeting is not None:
        return redirect("accountability", meeting_id=meeting.pk)
    return redirect("goal_detail", goal_id=goal.pk)


def _checkin_meeting(request: HttpRequest, goal: Goal) -> Meeting | None:
    meeting_id = request.POST.get("meeting", "")
    if not meeting_id.isdigit():
        return None
    return get_for_user_or_404(
        request.user,
        Meeting.objects.filter(group=goal.group),
        see="meetings.see",
        pk=int(meeting_id),
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    """Add a milestone to one's own goal."""
    goal = _goal(request, goal_id, need="goals.change_goal")
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(goal=goal, actor=request.user, title=form.cleaned_data["title"])
    return redirect("goal_detail", goal_id=goal.pk)


@login_required
def development_plan(request: HttpRequest, fmt: str) -> HttpResponse:
    """The member's individual development plan, as Markdown or PDF."""
    if fmt not in {"md", "pdf"}:
        raise Http404
    audit_record(
        action="goals.plan_exported", actor=request.user, target=request.user,
        request=request, fmt=fmt,
    )  # fmt: skip
    context = {
        "person": request.user,
        "goals": selectors.development_plan(user=request.user),
        "today": timezone.localdate(),
    }
    stem = f"development-plan-{timezone.localdate():%Y-%m-%d}"
    if fmt == "md":
        text = render_to_string("goals/development_plan.md", context)
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    else:
        try:
            body = html_to_pdf(render_to_string("goals/development_plan_pdf.html", context))
        except PdfUnavailable as error:
            messages.error(request, str(error))
            return redirect("goal_list")
        response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@login_required
def group_goals(request: HttpRequest, group_id: int) -> HttpResponse:
    """The goals members share with the group."""
    group = group_for_content(request.user, group_id)
    return render(
        request,
        "goals/group_goals.html",
        {"group": group, "goals": selectors.shared_goals(group=group)},
    )


@login_required
def accountability(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The accountability round: each member's shared goals and commitments, and check-ins."""
    meeting = get_for_user_or_404(
        request.user, Meeting.objects.select_related("group"), see="meetings.see", pk=meeting_id
    )
    rounds = selectors.accountability_round(meeting=meeting, viewer=request.user)
    forms = {
        g.pk: CheckInForm(goal=g) for r in rounds for g in r.goals if g.owner_id == request.user.pk
    }
    return render(
        request,
        "goals/accountability.html",
        {"meeting": meeting, "group": meeting.group, "rounds": rounds, "forms": forms},
    )


# --- Curriculum ------------------------------------------------------------------------------


def _program(request: HttpRequest, slug: str, need: str | None = None) -> Program:
    return get_for_user_or_404(request.user, Program, see="goals.see_topics", need=need, slug=slug)


@login_required
def topic_library(request: HttpRequest, slug: str) -> HttpResponse:
    """The program's optional topic library."""
    program = _program(request, slug)
    return render(
        request,
        "goals/topic_library.html",
        {
            "program": program,
            "topics": selectors.topics_of(program=program),
            "can_manage": allowed(request.user, "goals.manage_topics", program),
        },
    )


@login_required
def topic_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a topic to the library."""
    program = _program(request, slug, need="goals.manage_topics")
    return _topic_form(request, program, None)


@login_required
def topic_edit(request: HttpRequest, topic_id: int) -> HttpResponse:
    """Change a topic of the library."""
    topic = get_for_user_or_404(
        request.user,
        CurriculumTopic.objects.select_related("program"),
        see="goals.see_topics",
        need="goals.manage_topics",
        pk=topic_id,
    )
    return _topic_form(request, topic.program, topic)


def _topic_form(
    request: HttpRequest, program: Program, topic: CurriculumTopic | None
) -> HttpResponse:
    form = TopicForm(request.POST or None, instance=topic)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_save(
                program=program, actor=request.user, topic=topic, **form.cleaned_data
            )
        except services.GoalError as error:
            form.add_error("title", str(error))
        else:
            messages.success(request, "Topic saved.")
            return redirect("topic_library", slug=program.slug)
    return render(
        request, "goals/topic_form.html", {"program": program, "form": form, "topic": topic}
    )


@login_required
@require_POST
def topics_starter(request: HttpRequest, slug: str) -> HttpResponse:
    """Load the starter set of topics."""
    program = _program(request, slug, need="goals.manage_topics")
    added = services.topics_load_starter_set(program=program, actor=request.user)
    messages.success(request, f"{added} starter topic{'s' if added != 1 else ''} added.")
    return redirect("topic_library", slug=program.slug)


@login_required
def year_plan(request: HttpRequest, group_id: int) -> HttpResponse:
    """Which meeting covers which topic; adopting a topic puts it on that meeting's agenda."""
    group = group_for_content(request.user, group_id)
    upcoming = group.meetings.filter(
        status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    form = AdoptTopicForm(
        request.POST or None, topics=group.program.topics.all(), meetings=upcoming
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_adopt(group=group, actor=request.user, **form.cleaned_data)
        except services.GoalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Planned: the topic is on that meeting's agenda.")
            return redirect("year_plan", group_id=group.pk)
    return render(
        request,
        "goals/year_plan.html",
        {
            "group": group,
            "plans": selectors.year_plan(group=group),
            "form": form,
            "has_topics": group.program.topics.exists(),
            "has_meetings": upcoming.exists(),
        },
    )


@login_required
@require_POST
def plan_remove(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Take a topic off the plan."""
    plan = get_for_user_or_404(
        request.user,
        TopicPlan.objects.select_related("group", "agenda_item"),
        see="meetings.see",
        pk=plan_id,
    )
    services.topic_unplan(plan=plan, actor=request.user)
    messages.success(request, "Removed from the plan.")
    return redirect("year_plan", group_id=plan.group_id)


# --- Resources -------------------------------------------------------------------------------


@login_required
def resource_board(request: HttpRequest, group_id: int) -> HttpResponse:
    """The group's board of links, files and opportunities; members share here."""
    group = group_for_content(request.user, group_id)
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.pop("file")
        try:
            services.resource_post(
                group=group,
                actor=request.user,
                file_name=upload.name if upload else "",
                file_data=upload.read() if upload else None,
                **data,
            )
        except (services.GoalError, UploadRefused) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Shared with the group.")
            return redirect("resource_board", group_id=group.pk)
    return render(
        request,
        "goals/resource_board.html",
        {"group": group, "form": form, "resources": selectors.resources_of(group=group)},
    )


@login_required
def resource_download(request: HttpRequest, resource_id: int) -> FileResponse:
    """A shared file, to members of its group only, always as a download."""
    resource = get_for_user_or_404(
        request.user,
        Resource.objects.select_related("group"),
        see="goals.see_resource",
        pk=resource_id,
    )
    if not resource.file:
        raise Http404
    response = FileResponse(
        resource.file.open("rb"),
        as_attachment=True,
        filename=resource.original_name,
        content_type=resource.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def resource_remove(request: HttpRequest, resource_id: int) -> HttpResponse:
    """The member who shared it takes it off the board."""
    resource = get_for_user_or_404(
        request.user,
        Resource.objects.select_related("group"),
        see="goals.see_resource",
        need="goals.remove_resource",
        pk=resource_id,
    )
    services.resource_remove(resource=resource, actor=request.user)
    messages.success(request, "Removed from the board.")
    return redirect(reverse("resource_board", args=[resource.group_id]))
