"""Writes for goals, milestones, check-ins, curriculum topics, year plans and resources."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from peermentor.accounts.models import User
from peermentor.core.audit import audit_record
from peermentor.goals.models import (
    CurriculumTopic,
    Goal,
    GoalCheckIn,
    Milestone,
    Resource,
    TopicPlan,
)
from peermentor.goals.starter_topics import STARTER_TOPICS
from peermentor.goals.uploads import check_upload
from peermentor.meetings import services as meetings
from peermentor.meetings.models import AgendaItem, Meeting
from peermentor.programs.models import Group, Program
from peermentor.programs.selectors import is_current_member


class GoalError(Exception):
    """A request the rules of goals, topics or resources do not allow; says why."""


def _require_member(group: Group, user: User) -> None:
    if not is_current_member(group=group, user=user):
        raise GoalError("Only the group's members can do this.")


# --- Goals -----------------------------------------------------------------------------------

GOAL_FIELDS = ("title", "category", "done_looks_like", "target_date", "status", "visibility")


def goal_create(*, owner: User, group: Group, milestones: list[str] = (), **fields: Any) -> Goal:
    """A new goal of a member, private unless they choose to share it."""
    _require_member(group, owner)
    with transaction.atomic():
        goal = Goal.objects.create(owner=owner, group=group, **_only_goal_fields(fields))
        Milestone.objects.bulk_create(
            [Milestone(goal=goal, title=t, position=i) for i, t in enumerate(milestones, 1) if t]
        )
        audit_record(action="goal.created", actor=owner, target=goal, visibility=goal.visibility)
    return goal


def _only_goal_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise GoalError(f"These cannot be set on a goal: {', '.join(sorted(unknown))}.")
    return fields


def goal_update(*, goal: Goal, actor: User, **fields: Any) -> Goal:
    """Change a goal; only its owner may."""
    if goal.owner_id != actor.pk:
        raise GoalError("Only the member whose goal this is can change it.")
    with transaction.atomic():
        for field, value in _only_goal_fields(fields).items():
            setattr(goal, field, value)
        goal.save()
        audit_record(
            action="goal.updated",
            actor=actor,
            target=goal,
            visibility=goal.visibility,
            status=goal.status,
        )
    return goal


def milestone_add(*, goal: Goal, actor: User, title: str) -> Milestone:
    """Add a step to a goal."""
    if goal.owner_id != actor.pk:
        raise GoalError("Only the member whose goal this is can change it.")
    last = goal.milestones.aggregate(last=Max("position"))["last"] or 0
    return Milestone.objects.create(goal=goal, title=title, position=last + 1)


def checkin_record(
    *,
    goal: Goal,
    actor: User,
    meeting: Meeting | None = None,
    progress: int | None = None,
    milestone: Milestone | None = None,
    note: str = "",
    blocker: str = "",
    today: dt.date | None = None,
) -> GoalCheckIn:
    """Record progress on one's own goal, at a meeting of its group or between meetings."""
    if goal.owner_id != actor.pk:
        raise GoalError("Members record check-ins on their own goals only.")
    if meeting is not None and meeting.group_id != goal.group_id:
        raise GoalError("That meeting belongs to another group.")
    if progress is not None and not 0 <= progress <= 100:
        raise GoalError("Progress is a percentage from 0 to 100.")
    if milestone is not None and milestone.goal_id != goal.pk:
        raise GoalError("That milestone belongs to another goal.")
    if progress is None and milestone is None and not note.strip() and not blocker.strip():
        raise GoalError("Say how it is going: a percentage, a milestone, a note or a blocker.")
    with transaction.atomic():
        checkin = GoalCheckIn.objects.create(
            goal=goal,
            meeting=meeting,
            progress=progress,
            milestone=milestone,
            note=note,
            blocker=blocker,
        )
        if milestone is not None and milestone.reached_on is None:
            milestone.reached_on = today or timezone.localdate()
            milestone.save(update_fields=["reached_on"])
        if progress == 100 and goal.status == Goal.Status.ACTIVE:
            goal.status = Goal.Status.ACHIEVED
            goal.save(update_fields=["status", "updated_at"])
        audit_record(
            action="goal.checked_in",
            actor=actor,
            target=goal,
            meeting_id=meeting.pk if meeting else None,
        )
    return checkin


# --- Curriculum ------------------------------------------------------------------------------

TOPIC_FIELDS = ("title", "description", "questions", "resources")


def topic_save(
    *, program: Program, actor: User, topic: CurriculumTopic | None = None, **fields: Any
) -> CurriculumTopic:
    """Add a topic to the program's library, or change one."""
    topic = topic or CurriculumTopic(program=program)
    for field in TOPIC_FIELDS:
        setattr(topic, field, fields[field])
    if topic.pk is None:
        topic.position = (program.topics.aggregate(last=Max("position"))["last"] or 0) + 1
    try:
        with transaction.atomic():
            topic.save()
            audit_record(action="topic.saved", actor=actor, target=topic)
    except IntegrityError as error:
        raise GoalError(f"The library has a topic called “{topic.title}” already.") from error
    return topic


def topics_load_starter_set(*, program: Program, actor: User) -> int:
    """Add the starter topics the program does not have yet; how many were added."""
    have = set(program.topics.values_list("title", flat=True))
    last = program.topics.aggregate(last=Max("position"))["last"] or 0
    new = [
        CurriculumTopic(
            program=program,
            title=t.title,
            description=t.description,
            questions=t.questions,
            resources=t.resources,
            from_starter_set=True,
            position=last + index,
        )
        for index, t in enumerate((t for t in STARTER_TOPICS if t.title not in have), 1)
    ]
    with transaction.atomic():
        CurriculumTopic.objects.bulk_create(new)
        audit_record(action="topic.starter_loaded", actor=actor, target=program, added=len(new))
    return len(new)


def topic_adopt(
    *, group: Group, topic: CurriculumTopic, meeting: Meeting, actor: User, minutes: int = 30
) -> TopicPlan:
    """Plan a topic for a meeting: it becomes a curriculum item on that meeting's agenda."""
    _require_member(group, actor)
    if topic.program_id != group.program_id:
        raise GoalError("That topic belongs to another program's library.")
    if meeting.group_id != group.pk:
        raise GoalError("That meeting belongs to another group.")
    if TopicPlan.objects.filter(meeting=meeting, topic=topic).exists():
        raise GoalError(f"“{topic.title}” is planned for that meeting already.")
    with transaction.atomic():
        item = meetings.agenda_item_add(
            group=group,
            meeting=meeting,
            proposer=actor,
            title=topic.title,
            kind=AgendaItem.Kind.CURRICULUM,
            minutes=minutes,
        )
        plan = TopicPlan.objects.create(
            group=group, topic=topic, meeting=meeting, agenda_item=item, added_by=actor
        )
        audit_record(action="topic.adopted", actor=actor, target=plan)
    return plan


def topic_unplan(*, plan: TopicPlan, actor: User) -> None:
    """Take a topic off a meeting, with its agenda item if not yet discussed."""
    _require_member(plan.group, actor)
    with transaction.atomic():
        if plan.agenda_item and plan.agenda_item.status == AgendaItem.Status.PROPOSED:
            plan.agenda_item.delete()
        audit_record(action="topic.unplanned", actor=actor, target=plan.group)
        plan.delete()


# --- Resources -------------------------------------------------------------------------------


def resource_post(
    *,
    group: Group,
    actor: User,
    kind: str,
    title: str,
    description: str = "",
    url: str = "",
    deadline: dt.date | None = None,
    opportunity: str = "",
    file_name: str = "",
    file_data: bytes | None = None,
) -> Resource:
    """Share a link, a file or an opportunity with the group."""
    _require_member(group, actor)
    if kind == Resource.Kind.FILE and file_data is None:
        raise GoalError("Choose the file to share.")
    if kind != Resource.Kind.FILE and not url:
        raise GoalError("Give the link (web address) to share.")
    checked = check_upload(file_name, file_data) if kind == Resource.Kind.FILE else None
    resource = Resource(
        group=group,
        kind=kind,
        title=title,
        description=description,
        url=url if not checked else "",
        deadline=deadline,
        opportunity=opportunity if kind == Resource.Kind.OPPORTUNITY else "",
        posted_by=actor,
    )
    with transaction.atomic():
        if checked is not None and file_data is not None:
            extension = checked.name.rsplit(".", 1)[-1].lower()
            resource.original_name = checked.name
            resource.content_type = checked.content_type
            resource.size = checked.size
            resource.file.save(
                f"{uuid.uuid4().hex}.{extension}", ContentFile(file_data), save=False
            )
        resource.save()
        audit_record(action="resource.posted", actor=actor, target=resource, kind=kind)
    return resource


def resource_remove(*, resource: Resource, actor: User) -> None:
    """Take a resource off the board; its file is deleted too."""
    if resource.posted_by_id != actor.pk:
        raise GoalError("Only the member who shared this can remove it.")
    with transaction.atomic():
        audit_record(action="resource.removed", actor=actor, target=resource)
        stored = resource.file.name if resource.file else ""
        resource.delete()
        if stored:
            transaction.on_commit(lambda: resource.file.storage.delete(stored))
