from bedside.accounts.permissions import Perm
from tests.url_cases import UrlCase


def _setup(w):
    from django.utils import timezone

    from bedside.listening.models import Mention, Monitor, Source

    monitor = Monitor.objects.create(
        practice=w.practice, name="Maple Family Clinic", phrases=["Maple Family Clinic"]
    )
    source = Source.objects.create(practice=w.practice, uri="rss:https://feeds.example/maple.xml")
    w.objects["monitor"] = monitor
    w.objects["source"] = source
    w.objects["mention"] = Mention.objects.create(
        practice=w.practice,
        monitor=monitor,
        source=source,
        phrase="Maple Family Clinic",
        external_id="post-1",
        text="Loved Maple Family Clinic",
        match_start=6,
        match_end=25,
        published_at=timezone.now(),
    )


def _m(w):
    return w.objects["monitor"].pk


def _s(w):
    return w.objects["source"].pk


def _mention(w):
    return w.objects["mention"].pk


MANAGE = Perm.MANAGE_LISTENING

CASES = [
    UrlCase("listening:stream", lambda w: "/listening/", setup=_setup),
    UrlCase(
        "listening:mention_state",
        lambda w: f"/listening/mentions/{_mention(w)}/state/",
        method="post",
        perm=MANAGE,
        scope="object",
        data=lambda w: {"state": "seen"},
    ),  # fmt: skip
    UrlCase("listening:monitors", lambda w: "/listening/monitors/"),
    UrlCase("listening:monitor_new", lambda w: "/listening/monitors/new/", perm=MANAGE),
    UrlCase(
        "listening:monitor_new",
        lambda w: "/listening/monitors/new/",
        method="post",
        perm=MANAGE,
        data=lambda w: {"name": "Flu", "phrases": "flu shot", "kind": "topic", "active": "on"},
    ),  # fmt: skip
    UrlCase(
        "listening:monitor_defaults",
        lambda w: "/listening/monitors/defaults/",
        method="post",
        perm=MANAGE,
    ),  # fmt: skip
    UrlCase(
        "listening:monitor_edit",
        lambda w: f"/listening/monitors/{_m(w)}/",
        perm=MANAGE,
        scope="object",
    ),  # fmt: skip
    UrlCase(
        "listening:monitor_edit",
        lambda w: f"/listening/monitors/{_m(w)}/",
        method="post",
        perm=MANAGE,
        scope="object",
        data=lambda w: {"name": "Maple", "phrases": "Maple Family Clinic", "kind": "practice_name"},
    ),  # fmt: skip
    UrlCase(
        "listening:monitor_delete",
        lambda w: f"/listening/monitors/{_m(w)}/delete/",
        method="post",
        perm=MANAGE,
        scope="object",
    ),  # fmt: skip
    UrlCase("listening:sources", lambda w: "/listening/sources/"),
    UrlCase("listening:source_new", lambda w: "/listening/sources/new/", perm=MANAGE),
    UrlCase(
        "listening:source_new",
        lambda w: "/listening/sources/new/",
        method="post",
        perm=MANAGE,
        data=lambda w: {
            "uri": "reddit:https://www.reddit.com/r/springfield/new.json",
            "poll_interval_seconds": 600,
        },
    ),  # fmt: skip
    UrlCase("listening:source_detail", lambda w: f"/listening/sources/{_s(w)}/", scope="object"),
    UrlCase(
        "listening:source_edit",
        lambda w: f"/listening/sources/{_s(w)}/edit/",
        perm=MANAGE,
        scope="object",
    ),  # fmt: skip
    UrlCase(
        "listening:source_edit",
        lambda w: f"/listening/sources/{_s(w)}/edit/",
        method="post",
        perm=MANAGE,
        scope="object",
        data=lambda w: {
            "uri": "rss:https://feeds.example/maple2.xml",
            "poll_interval_seconds": 300,
        },
    ),  # fmt: skip
    UrlCase(
        "listening:source_retry",
        lambda w: f"/listening/sources/{_s(w)}/retry/",
        method="post",
        perm=MANAGE,
        scope="object",
    ),  # fmt: skip
    UrlCase(
        "listening:source_delete",
        lambda w: f"/listening/sources/{_s(w)}/delete/",
        method="post",
        perm=MANAGE,
        scope="object",
    ),  # fmt: skip
    UrlCase("listening:alerts", lambda w: "/listening/alerts/"),
    UrlCase(
        "listening:alerts",
        lambda w: "/listening/alerts/",
        method="post",
        perm=MANAGE,
        data=lambda w: {
            "instant_negative": "on",
            "spike_threshold": 3,
            "spike_window_minutes": 60,
            "digest_hour": 7,
        },
    ),  # fmt: skip
    UrlCase("api:monitor_list", lambda w: "/api/v1/monitors", api=True),
    UrlCase(
        "api:monitor_create",
        lambda w: "/api/v1/monitors",
        api=True,
        method="post",
        perm=MANAGE,
        data=lambda w: {"name": "Flu", "phrases": ["flu shot", "#flushot"], "exclude": []},
    ),  # fmt: skip
    UrlCase(
        "api:monitor_delete",
        lambda w: f"/api/v1/monitors/{_m(w)}",
        api=True,
        method="delete",
        perm=MANAGE,
        scope="object",
    ),  # fmt: skip
    UrlCase("api:mention_list", lambda w: "/api/v1/mentions", api=True),
    UrlCase(
        "api:mention_patch",
        lambda w: f"/api/v1/mentions/{_mention(w)}",
        api=True,
        method="patch",
        perm=MANAGE,
        scope="object",
        data=lambda w: {"state": "answered"},
    ),  # fmt: skip
]
