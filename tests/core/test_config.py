import datetime as dt
import logging

import pytest

from bedside.config.env import private_networks
from bedside.config.queue import QueueConfigError, build_huey
from bedside.core.redact import RedactingFilter, redact
from bedside.core.timeutil import local_to_utc


def test_queue_url_selects_the_backend(tmp_path):
    assert type(build_huey(f"sqlite:////{tmp_path}/q.sqlite3").storage).__name__ == "SqliteStorage"
    assert type(build_huey("redis://127.0.0.1:6379/0").storage).__name__ == "PriorityRedisStorage"
    assert (
        type(build_huey("postgres://postgres@127.0.0.1:5432/test").storage).__name__ == "SqlStorage"
    )
    with pytest.raises(QueueConfigError, match="unsupported scheme 'amqp'"):
        build_huey("amqp://guest@127.0.0.1")


def test_private_networks_are_validated(monkeypatch):
    monkeypatch.setenv("BEDSIDE_ALLOWED_PRIVATE_NETWORKS", "127.0.0.0/8, ::1/128")
    assert private_networks() == ["127.0.0.0/8", "::1/128"]
    monkeypatch.setenv("BEDSIDE_ALLOWED_PRIVATE_NETWORKS", "127.0.0.0/33")
    with pytest.raises(ValueError, match="not a CIDR"):
        private_networks()


def test_redaction_scrubs_tokens_from_log_records():
    text = (
        'GET https://x.test/a?access_token=abc123&b=1 Authorization: Bearer sekrit {"refresh_token": "r-9"} bsd_'
        + "A" * 30
    )
    cleaned = redact(text)
    for secret in ("abc123", "sekrit", "r-9", "A" * 30):
        assert secret not in cleaned
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "failed with %s", ("token=zzz999",), None
    )
    RedactingFilter().filter(record)
    assert "zzz999" not in record.getMessage()


@pytest.mark.parametrize(
    ("local", "expected_utc"),
    [
        # spring forward 2026-03-08: 01:30 CST exists (UTC-6)
        (
            dt.datetime.fromisoformat("2026-03-08T01:30"),
            dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC),
        ),
        # 02:30 does not exist that day: moved forward to 03:30 CDT
        (
            dt.datetime.fromisoformat("2026-03-08T02:30"),
            dt.datetime(2026, 3, 8, 8, 30, tzinfo=dt.UTC),
        ),
        # fall back 2026-11-01: 01:30 happens twice; the first (CDT, UTC-5) is taken
        (
            dt.datetime.fromisoformat("2026-11-01T01:30"),
            dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC),
        ),
    ],
)
def test_local_to_utc_across_dst_in_chicago(local, expected_utc):
    assert local_to_utc(local, "America/Chicago") == expected_utc


def test_configured_queue_round_trips_a_task(settings):
    """The queue this run is configured with (SQLite here, Redis in CI's second pass)."""
    from huey import Huey

    from tests.conftest import require

    huey: Huey = build_huey(settings.QUEUE_URL, name="bedside-test-roundtrip")
    if settings.QUEUE_URL.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(settings.QUEUE_URL).ping()
        except redis.ConnectionError:
            require(False, "Redis is not answering at BEDSIDE_QUEUE_URL")
    huey.flush()

    @huey.task()
    def add(a, b):
        return a + b

    add(2, 3)
    assert huey.pending_count() == 1
    task = huey.dequeue()
    assert huey.execute(task) == 5
    assert huey.pending_count() == 0


def test_configured_queue_runs_higher_priority_tasks_first(settings):
    """Sweepers (priority 100) overtake a backlog of ordinary tasks on every backend."""
    from tests.conftest import require

    huey = build_huey(settings.QUEUE_URL, name="bedside-test-priority")
    if settings.QUEUE_URL.startswith("redis"):
        import redis

        try:
            redis.Redis.from_url(settings.QUEUE_URL).ping()
        except redis.ConnectionError:
            require(False, "Redis is not answering at BEDSIDE_QUEUE_URL")
    huey.flush()

    @huey.task()
    def work(n):
        return n

    @huey.task(priority=100)
    def sweep():
        return "sweep"

    for n in range(5):
        work(n)
    sweep()
    assert huey.execute(huey.dequeue()) == "sweep"
    assert [huey.execute(huey.dequeue()) for _ in range(5)] == [0, 1, 2, 3, 4]
