"""The audit log in the Django admin: read-only for site administrators."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from peermentor.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "target_type", "target_id", "ip_address")
    list_filter = ("action",)
    search_fields = ("action", "target_id", "actor__email")
    readonly_fields = ("at", "action", "actor", "target_type", "target_id", "details", "ip_address")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
