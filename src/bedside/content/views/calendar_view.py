"""The calendar: month and week views in the practice's time zone, with free queue slots."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from bedside.accounts.access import member_required
from bedside.accounts.permissions import Perm
from bedside.content import selectors
from bedside.content.models import PostState
from bedside.content.observances import observances_between
from bedside.core.timeutil import local_to_utc


@member_required(Perm.VIEW)
def calendar(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    zone = membership.practice.time_zone
    today = timezone.localdate()
    try:
        anchor = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        anchor = today
    view = "week" if request.GET.get("view") == "week" else "month"
    if view == "week":
        first = anchor - dt.timedelta(days=anchor.weekday())
        days = [first + dt.timedelta(days=i) for i in range(7)]
        prev, nxt = first - dt.timedelta(days=7), first + dt.timedelta(days=7)
    else:
        weeks = pycal.Calendar(firstweekday=0).monthdatescalendar(anchor.year, anchor.month)
        days = [d for week in weeks for d in week]
        prev = (anchor.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
        nxt = (anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    start = local_to_utc(dt.datetime.combine(days[0], dt.time()), zone)
    end = local_to_utc(dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time()), zone)
    posts = selectors.post_list(actor=membership, start=start, end=end).exclude(
        state=PostState.CANCELLED
    )
    posts = list(posts)
    free = selectors.free_slot_list(
        actor=membership, start=start, end=end, now=timezone.now(), posts=posts
    )
    # One list per day, in time order: posts and free slots interleaved.
    by_day: dict[dt.date, list[dict[str, Any]]] = {d: [] for d in days}
    for slot in free:
        local = timezone.localtime(slot.when)
        by_day.setdefault(local.date(), []).append({"at": slot.when, "slot": slot, "local": local})
    for post in posts:
        channel_ids = {c.pk for c in post.channels.all()}
        by_day.setdefault(timezone.localtime(post.scheduled_at).date(), []).append({
            "at": post.scheduled_at,
            "post": post,
            "channel_ids": ",".join(str(i) for i in sorted(channel_ids)),
            "slot_choices": [s for s in free if s.channel_id in channel_ids],
        })  # fmt: skip
    for items in by_day.values():
        items.sort(key=lambda e: (e["at"], "slot" in e))
    suggestions: dict[dt.date, list] = {}
    for obs, day in observances_between(days[0], days[-1]):
        suggestions.setdefault(day, []).append(obs)
    cells = [
        {
            "date": d,
            "items": by_day.get(d, []),
            "suggestions": suggestions.get(d, []),
            "other_month": view == "month" and d.month != anchor.month,
            "today": d == today,
        }
        for d in days
    ]
    context = {
        "view": view,
        "anchor": anchor,
        "cells": cells,
        "weeks": [cells[i : i + 7] for i in range(0, len(cells), 7)],
        "prev": prev,
        "next": nxt,
        "zone": zone,
        "can_move": membership.can(Perm.PUBLISH),
        "can_compose": membership.can(Perm.COMPOSE),
    }
    return TemplateResponse(request, "content/calendar.html", context)
