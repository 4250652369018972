"""Plain-words e-mails to people: a post did not go out, a channel token lapses soon.

No post text in the e-mail (it stays in Bedside): the post's number, when it was due,
what went wrong and the link that fixes it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

logger = logging.getLogger("bedside.publishing")


def _absolute(path: str) -> str:
    return settings.BEDSIDE_BASE_URL.rstrip("/") + path if path.startswith("/") else path


def delivery_failure_notice(*, delivery_id: int) -> int:
    """E-mail the post's author and approver that a delivery failed or needs review.

    Safe to run twice: the notice is claimed first (`notified_at`), so one failure
    gives at most one e-mail; a send error releases the claim for the sweeper."""
    from bedside.publishing.models import Delivery
    from bedside.publishing.services.notices import failure_notice_claim, failure_notice_release

    claimed_at = failure_notice_claim(delivery_id=delivery_id)
    if claimed_at is None:
        return 0
    delivery = (
        Delivery.objects.select_related("post__author", "post__approved_by", "channel", "practice")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.state not in ("failed", "needs_review"):
        return 0
    post = delivery.post
    people = {u.email for u in (post.author, post.approved_by) if u is not None and u.email}
    if not people:
        return 0
    zone = delivery.practice.zone
    due = (
        timezone.localtime(delivery.due_at, zone).strftime("%b %-d, %-I:%M %p")
        if delivery.due_at
        else "now"
    )
    what = "did not go out" if delivery.state == "failed" else "may not have gone out"
    body = (
        f"Post #{post.pk} (due {due}) {what} to {delivery.channel.name}.\n\n"
        f"{delivery.error}\n\n"
        f"What to do: {_absolute(delivery.fix_url or f'/content/posts/{post.pk}/')}\n"
        f"The post: {_absolute(f'/content/posts/{post.pk}/')}\n"
    )
    subject = f"[Bedside] Post #{post.pk} {what} to {delivery.channel.name}"
    try:
        return send_mail(subject, body, None, sorted(people))
    except Exception:  # a mail server hiccup must not undo the delivery's state
        logger.exception("could not send the failure notice for delivery %s", delivery_id)
        failure_notice_release(delivery_id=delivery_id, claimed_at=claimed_at)
        return 0


def token_expiry_reminders(*, days: int = 7) -> int:
    """E-mail channel managers about tokens that lapse within `days` (once a day)."""
    from bedside.accounts.models import Membership
    from bedside.accounts.permissions import Perm
    from bedside.channels.models import ChannelAccount, ChannelStatus

    now = timezone.now()
    sent = 0
    soon = ChannelAccount.objects.filter(
        status=ChannelStatus.CONNECTED,
        token_expires_at__gt=now,
        token_expires_at__lte=now + dt.timedelta(days=days),
    ).select_related("practice")
    for channel in soon:
        managers = [
            m.user.email
            for m in Membership.objects.filter(practice=channel.practice).select_related("user")
            if m.can(Perm.MANAGE_CHANNELS)
        ]
        if not managers:
            continue
        when = timezone.localtime(channel.token_expires_at, channel.practice.zone)
        body = (
            f"The connection to {channel.name} expires on {when:%b %-d} and Bedside could "
            f"not renew it by itself. Reconnect it before then so scheduled posts go out:\n"
            f"{_absolute(f'/settings/channels/{channel.pk}/')}\n"
        )
        try:
            sent += send_mail(
                f"[Bedside] Reconnect {channel.name} before {when:%b %-d}", body, None, managers
            )
        except Exception:
            logger.exception("could not send the token reminder for channel %s", channel.pk)
    return sent
