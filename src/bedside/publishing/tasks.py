"""Huey tasks: thin, take ids, safe to run twice. The database row is the truth."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bedside.publishing import notify, services


@db_task(name="publishing.deliver")
def deliver(delivery_id: int) -> str:
    return services.delivery_run(delivery_id=delivery_id)


@db_task(name="publishing.remove")
def remove(delivery_id: int) -> str:
    return services.delivery_remove_run(delivery_id=delivery_id)


@db_task(name="publishing.edit")
def edit(delivery_id: int) -> str:
    return services.delivery_edit_run(delivery_id=delivery_id)


@db_task(name="publishing.failure_notice")
def failure_notice(delivery_id: int) -> int:
    return notify.delivery_failure_notice(delivery_id=delivery_id)


@db_periodic_task(crontab(minute="0", hour="14"), name="publishing.token_reminders")
def token_reminders() -> int:
    """Once a day: channels whose token lapses within a week."""
    return notify.token_expiry_reminders()


SWEEP_PRIORITY = 100  # ahead of any backlog of deliveries (default priority 0)


@db_periodic_task(crontab(minute="*"), name="publishing.sweep", priority=SWEEP_PRIORITY)
def sweep_deliveries() -> int:
    """Every minute: wake due or stalled deliveries with no task waiting (lost tasks,
    dead workers), and re-send failure notices whose task was lost."""
    return services.deliveries_sweep()
