"""Programs in the Django admin, for site administrators (operations only)."""

from __future__ import annotations

from django.contrib import admin

from peermentor.programs.models import Group, Invitation, Membership, Program, ProgramRole


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "is_demo", "created_at")
    search_fields = ("name", "slug")


@admin.register(ProgramRole)
class ProgramRoleAdmin(admin.ModelAdmin):
    list_display = ("program", "user", "role", "granted_at")
    list_filter = ("role",)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "formed_on", "closed_on")
    list_filter = ("program",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "group", "role", "joined_on", "left_on", "leave_reason")
    list_filter = ("role", "group__program")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "program", "group", "role", "created_at", "accepted_at")
    exclude = ("nonce",)
    readonly_fields = ("accepted_at", "accepted_by", "expires_at")
