"""Writes about support requests. Every function: keyword-only, `actor=` first, atomic, validated, audited.

Mail goes out through support.notifications (on commit). Permission is checked here as well as in the views:
an actor who may not do something gets PermissionDenied (pages answer 403, GraphQL FORBIDDEN); bad input and
refused transitions get a ValidationError with a specific code and message, and nothing changes.

The functions live in one module per sub-domain (requests, workflow, conversation, effort, satisfaction,
imports, categories, service levels); this package re-exports them, so callers write `services.request_submit(...)`.
A test that patches a name must patch it in the module that calls it, not here.
"""

from support.services._common import (
    EDITABLE_FIELDS,
    MANAGER_FIELDS,
    REFERENCE_RE,
    format_reference,
    reserve_reference,
)
from support.services.categories import category_skill_remove, category_skill_set, request_category_save
from support.services.conversation import attachment_add, comment_add
from support.services.effort import effort_log_add
from support.services.imports import request_import
from support.services.requests import request_set_required_skills, request_submit, request_update
from support.services.satisfaction import satisfaction_follow_up_record, satisfaction_submit
from support.services.saved_views import saved_view_delete, saved_view_save
from support.services.service_levels import service_level_delete, service_level_save
from support.services.workflow import (
    request_change_status,
    request_close_stale,
    request_triage,
    request_withdraw,
)

__all__ = [
    "REFERENCE_RE",
    "EDITABLE_FIELDS",
    "MANAGER_FIELDS",
    "format_reference",
    "reserve_reference",
    "request_submit",
    "request_update",
    "request_set_required_skills",
    "request_triage",
    "request_change_status",
    "request_withdraw",
    "request_close_stale",
    "comment_add",
    "attachment_add",
    "effort_log_add",
    "satisfaction_submit",
    "satisfaction_follow_up_record",
    "request_import",
    "request_category_save",
    "category_skill_set",
    "category_skill_remove",
    "saved_view_save",
    "saved_view_delete",
    "service_level_save",
    "service_level_delete",
]
