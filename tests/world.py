"""Practice A's publishing objects for the URL matrix (tests/*/cases.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bedside.channels.models import ChannelAccount

CLEAN = "Our office is closed Monday for the holiday. Stay safe and see you Tuesday!"


def channel(w):
    if "channel" not in w.objects:
        w.objects["channel"] = ChannelAccount.objects.create(
            practice=w.practice,
            type="webhook",
            name="Front desk hook",
            settings={"url": "http://127.0.0.1:9/hook"},
        )
    return w.objects["channel"]


def post(w, key="post", state=None):
    """A draft by the editor (or moved to `state` through the services)."""
    from bedside.content import services

    if key not in w.objects:
        editor = w.personas["editor"]
        p = services.post_create(
            actor=editor,
            text=CLEAN,
            channel_ids=[channel(w).pk],
            scheduled_at=timezone.now() + dt.timedelta(days=2),
        )
        if state in ("in_review", "scheduled"):
            services.post_submit(actor=editor, post=p)
        if state == "scheduled":
            services.post_approve(actor=w.personas["owner"], post=p)
        w.objects[key] = p
    return w.objects[key]


def delivery(w, state="failed"):
    from bedside.publishing.models import Delivery

    key = f"delivery_{state}"
    if key not in w.objects:
        p = post(w, key=f"post_for_{key}", state="scheduled")
        d = Delivery.objects.get(post=p)
        Delivery.objects.filter(pk=d.pk).update(state=state)
        w.objects[key] = d
    return w.objects[key]


def published_edit(w):
    """A post live on a webhook that takes edit events, with an edit waiting for approval."""
    from bedside.content import services
    from bedside.publishing.models import Delivery

    if "published_edit" not in w.objects:
        hook = ChannelAccount.objects.create(
            practice=w.practice, type="webhook", name="Edits hook",
            settings={"url": "http://127.0.0.1:9/hook", "edit_events": True},
        )  # fmt: skip
        editor, owner = w.personas["editor"], w.personas["owner"]
        p = services.post_create(
            actor=editor, text=CLEAN, channel_ids=[hook.pk],
            scheduled_at=timezone.now() + dt.timedelta(days=2),
        )  # fmt: skip
        services.post_submit(actor=editor, post=p)
        services.post_approve(actor=owner, post=p)
        Delivery.objects.filter(post=p).update(state="published", external_id="wh_1")
        edit = services.post_edit_propose(actor=editor, post=p, text=CLEAN + " Call us.")
        w.objects["published_edit"] = edit
    return w.objects["published_edit"]
