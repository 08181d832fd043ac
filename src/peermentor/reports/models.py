"""Stored program evaluation reports: what was asked for, how far the task is, the files made."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from peermentor.programs.models import Group, Program


class Report(models.Model):
    """One program evaluation report, made in the background and kept with its files."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reports")
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    since = models.DateField()
    until = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    content = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    pdf_pages = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    conclusions = models.TextField(blank=True)
    conclusions_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    conclusions_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(until__gte=models.F("since")), name="report_until_after_since"
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        scope = self.group.name if self.group_id and self.group else self.program.name
        return f"Report on {scope}, {self.since:%Y-%m-%d} to {self.until:%Y-%m-%d}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
