"""Deliveries: schedule, claim, send, retry, resolve; the crisis pause.

The database row is the source of truth; the queue only wakes workers. A
delivery is claimed by one conditional UPDATE (state + lease in the WHERE
clause; exactly one row must change). Just before the network call the row
records `sending_at` (committed): a stalled lease with `sending_at` set means the
outcome is unknown, and only networks that deduplicate (idempotency key,
deterministic record key) are sent again; the others are checked against the
account's recent posts, read-only, and otherwise left for a person
(`needs_review`). See docs/publishing.md.
"""

from bedside.publishing.services._common import (
    BACKOFF_BASE,
    BACKOFF_MAX,
    OPEN,
    backoff_seconds,
    enqueue_delivery,
    lease_seconds,
    max_attempts,
    practice_is_paused,
    wake_grace_seconds,
    worker_id,
)
from bedside.publishing.services.actions import (
    crisis_pause_end,
    crisis_pause_start,
    delivery_drop,
    delivery_reschedule,
    delivery_resolve,
    delivery_retry,
)
from bedside.publishing.services.dispatch import (
    deliveries_due,
    deliveries_sweep,
    deliveries_to_wake,
    delivery_claim,
    delivery_run,
)
from bedside.publishing.services.editing import (
    EditPlan,
    deliveries_edit_for_post,
    deliveries_live_for_post,
    delivery_edit_claim,
    delivery_edit_refusal,
    delivery_edit_retry,
    delivery_edit_run,
    edits_due,
    enqueue_edit,
)
from bedside.publishing.services.notices import (
    failure_notice_claim,
    failure_notices_due,
    failure_notices_sweep,
)
from bedside.publishing.services.removal import (
    delivery_remove_request,
    delivery_remove_run,
    removals_due,
)
from bedside.publishing.services.scheduling import (
    deliveries_cancel_for_post,
    deliveries_hold_for_post,
    deliveries_schedule_for_post,
)

__all__ = [
    "BACKOFF_BASE",
    "EditPlan",
    "deliveries_edit_for_post",
    "deliveries_live_for_post",
    "delivery_edit_claim",
    "delivery_edit_refusal",
    "delivery_edit_retry",
    "delivery_edit_run",
    "edits_due",
    "enqueue_edit",
    "BACKOFF_MAX",
    "OPEN",
    "backoff_seconds",
    "crisis_pause_end",
    "crisis_pause_start",
    "deliveries_cancel_for_post",
    "deliveries_due",
    "deliveries_hold_for_post",
    "deliveries_schedule_for_post",
    "deliveries_sweep",
    "deliveries_to_wake",
    "failure_notice_claim",
    "failure_notices_due",
    "failure_notices_sweep",
    "wake_grace_seconds",
    "delivery_claim",
    "delivery_drop",
    "delivery_remove_request",
    "delivery_remove_run",
    "delivery_reschedule",
    "delivery_resolve",
    "delivery_retry",
    "delivery_run",
    "enqueue_delivery",
    "lease_seconds",
    "max_attempts",
    "practice_is_paused",
    "removals_due",
    "worker_id",
]
