"""URLs for meetings, polls, agendas, action items, attendance and calendars."""

from __future__ import annotations

from django.urls import path

from peermentor.meetings import views

urlpatterns = [
    path("groups/<int:group_id>/meetings/", views.meeting_list, name="meeting_list"),
    path("groups/<int:group_id>/meetings/history/", views.meeting_history, name="meeting_history"),
    path("groups/<int:group_id>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("groups/<int:group_id>/polls/new/", views.poll_create, name="poll_create"),
    path("groups/<int:group_id>/agenda/add/", views.agenda_add, name="agenda_add"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/roles/", views.meeting_roles, name="meeting_roles"),
    path("meetings/<int:meeting_id>/notes/", views.meeting_notes, name="meeting_notes"),
    path("meetings/<int:meeting_id>/attendance/", views.attendance_save, name="attendance_save"),
    path("meetings/<int:meeting_id>/agenda/order/", views.agenda_order, name="agenda_order"),
    path("meetings/<int:meeting_id>/actions/add/", views.action_add, name="action_add"),
    path("meetings/<int:meeting_id>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("agenda/<int:item_id>/vote/", views.agenda_vote, name="agenda_vote"),
    path("agenda/<int:item_id>/move/", views.agenda_move, name="agenda_move"),
    path("agenda/<int:item_id>/mark/", views.agenda_mark, name="agenda_mark"),
    path("actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("polls/<int:poll_id>/", views.poll_detail, name="poll_detail"),
    path("polls/<int:poll_id>/vote/", views.poll_vote, name="poll_vote"),
    path("polls/<int:poll_id>/busy/", views.poll_busy, name="poll_busy"),
    path("polls/<int:poll_id>/finalise/", views.poll_finalise, name="poll_finalise"),
    path("account/calendar/", views.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
