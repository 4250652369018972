"""Every write about posts: create, edit, submit, approve, reject, reschedule,
cancel, override; media uploads; pillars and credible domains.

State changes go through `_transition`: a conditional UPDATE on (state,
version) — optimistic locking — plus a PostTransition row and an audit event
in the same transaction.
"""

from bedside.content.services._base import (
    ALLOWED,
    EDITABLE,
    PostConflict,
    post_sync_state,
)
from bedside.content.services.editing import (
    post_edit_approve,
    post_edit_propose,
    post_edit_reject,
)
from bedside.content.services.library import (
    campaign_create,
    credible_domains_set,
    media_upload,
    pillar_create,
    pillar_delete,
    pillars_ensure_defaults,
    template_create,
)
from bedside.content.services.posts import post_checks, post_create, post_update
from bedside.content.services.workflow import (
    post_approve,
    post_cancel,
    post_consent_revoked,
    post_override,
    post_reject,
    post_reschedule,
    post_submit,
)

__all__ = [
    "ALLOWED",
    "EDITABLE",
    "PostConflict",
    "campaign_create",
    "credible_domains_set",
    "media_upload",
    "pillar_create",
    "pillar_delete",
    "pillars_ensure_defaults",
    "post_approve",
    "post_cancel",
    "post_checks",
    "post_consent_revoked",
    "post_create",
    "post_edit_approve",
    "post_edit_propose",
    "post_edit_reject",
    "post_override",
    "post_reject",
    "post_reschedule",
    "post_submit",
    "post_sync_state",
    "post_update",
    "template_create",
]
