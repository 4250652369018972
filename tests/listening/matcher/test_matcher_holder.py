"""MatcherHolder: background rebuilds, atomic swaps, failures."""

import threading

import pytest

from bedside.listening.matcher import LayeredMatcher, Match, Matcher, MatcherHolder, MonitorSpec


@pytest.fixture
def monitors():
    return {1: MonitorSpec(1, 1, ["flu shot"])}


@pytest.fixture
def holder(monitors):
    holder = MatcherHolder(lambda: list(monitors.values()), isolated=False)
    holder.rebuild_now()
    holder.start()
    yield holder
    holder.stop()


def test_added_monitor_is_visible_after_rebuild(holder, monitors):
    assert holder.match("dr smith and a flu shot") != []
    assert [m.monitor_id for m in holder.match("dr smith")] == []

    monitors[2] = MonitorSpec(1, 2, ["dr smith"])
    ticket = holder.request_rebuild()

    assert holder.wait_for(ticket, timeout=10)
    assert [m.monitor_id for m in holder.match("dr smith")] == [2]


def test_removed_monitor_is_gone_after_rebuild(holder, monitors):
    del monitors[1]

    assert holder.wait_for(holder.request_rebuild(), timeout=10)
    assert holder.match("flu shot") == []


def test_failed_build_keeps_the_previous_matcher(monitors):
    calls = []

    def loader():
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("database down")
        return list(monitors.values())

    holder = MatcherHolder(loader, isolated=False)
    assert holder.rebuild_now() is True
    holder.start()
    try:
        ticket = holder.request_rebuild()

        assert holder.wait_for(ticket, timeout=10) is False
        assert str(holder.last_error) == "database down"
        assert [m.monitor_id for m in holder.match("flu shot")] == [1]
        assert holder.version == 1
    finally:
        holder.stop()


def test_wait_for_times_out_without_a_thread(monitors):
    holder = MatcherHolder(lambda: list(monitors.values()), isolated=False)

    assert holder.wait_for(holder.request_rebuild(), timeout=0.05) is False
    assert holder.match("flu shot") == []


def test_readers_never_see_a_half_built_matcher():
    # two worlds: 40 monitors on "alpha", or 40 monitors on "beta"; a reader
    # must always see exactly one world in full
    worlds = [
        [MonitorSpec(1, i, ["alpha"]) for i in range(40)],
        [MonitorSpec(2, i, ["beta"]) for i in range(40)],
    ]
    state = {"world": 0}
    holder = MatcherHolder(lambda: worlds[state["world"]], isolated=False)
    holder.rebuild_now()
    holder.start()
    seen: set[tuple[int, ...]] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def read():
        try:
            while not stop.is_set():
                for found in holder.match_many(["alpha beta"] * 20):
                    seen.add(tuple(sorted({m.practice_id for m in found})) + (len(found),))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for i in range(30):
            state["world"] = (i + 1) % 2
            assert holder.wait_for(holder.request_rebuild(), timeout=10)
    finally:
        stop.set()
        for reader in readers:
            reader.join()
        holder.stop()

    assert errors == []
    assert seen == {(1, 40), (2, 40)}


def test_requests_during_a_build_are_coalesced(monitors):
    started = threading.Event()
    release = threading.Event()
    builds = []

    def loader():
        builds.append(1)
        started.set()
        release.wait(5)
        return list(monitors.values())

    holder = MatcherHolder(loader, isolated=False)
    holder.start()
    try:
        holder.request_rebuild()
        assert started.wait(5)
        tickets = [holder.request_rebuild() for _ in range(5)]
        release.set()

        assert holder.wait_for(max(tickets), timeout=10)
        assert len(builds) == 2
        assert set(tickets) == {2}
    finally:
        holder.stop()


def test_default_holder_builds_in_a_child_process(monitors):
    holder = MatcherHolder(lambda: list(monitors.values()))
    holder.start()
    try:
        assert holder.wait_for(holder.request_rebuild(), timeout=30)
        assert [m.monitor_id for m in holder.match("a flu shot")] == [1]
    finally:
        holder.stop()


def test_upsert_is_visible_at_once_and_retired_by_the_rebuild(monitors):
    holder = MatcherHolder(lambda: list(monitors.values()), isolated=False)
    holder.rebuild_now()

    monitors[2] = MonitorSpec(1, 2, ["dr smith"], exclude=["dr smith retired"])
    ticket = holder.upsert(monitors[2])

    assert [m.monitor_id for m in holder.match("dr smith and a flu shot")] == [2, 1]
    assert [m.monitor_id for m in holder.match("dr smith retired, flu shot")] == [1]
    assert isinstance(holder.matcher, LayeredMatcher)

    holder.start()
    try:
        assert holder.wait_for(ticket, timeout=10)
        assert isinstance(holder.matcher, Matcher)  # the overlay is gone, the base has it
        assert [m.monitor_id for m in holder.match("dr smith and a flu shot")] == [2, 1]
    finally:
        holder.stop()


def test_remove_and_replace_are_visible_at_once(monitors):
    monitors[2] = MonitorSpec(1, 2, ["botox"])
    holder = MatcherHolder(lambda: list(monitors.values()), isolated=False)
    holder.rebuild_now()

    del monitors[1]
    holder.remove(1, 1)
    monitors[2] = MonitorSpec(1, 2, ["fillers"])
    holder.upsert(monitors[2])

    assert holder.match_many(["flu shot", "botox", "fillers"]) == [
        [],
        [],
        [Match(1, 2, "fillers", 0, 7)],
    ]
    assert holder.rebuild_now()
    assert isinstance(holder.matcher, Matcher)
    assert holder.match_many(["flu shot", "botox", "fillers"]) == [
        [],
        [],
        [Match(1, 2, "fillers", 0, 7)],
    ]


def test_a_change_made_during_a_build_survives_that_build(monitors):
    started = threading.Event()
    release = threading.Event()

    def loader():
        snapshot = list(monitors.values())  # read before the change below
        started.set()
        release.wait(5)
        return snapshot

    holder = MatcherHolder(loader, isolated=False)
    holder.start()
    try:
        first = holder.request_rebuild()
        assert started.wait(5)
        monitors[3] = MonitorSpec(2, 3, ["mri"])
        ticket = holder.upsert(monitors[3])
        release.set()

        assert holder.wait_for(first, timeout=10)
        assert [m.monitor_id for m in holder.match("mri")] == [3]  # still from the overlay
        assert holder.wait_for(ticket, timeout=10)
        assert isinstance(holder.matcher, Matcher)
        assert [m.monitor_id for m in holder.match("mri")] == [3]
    finally:
        release.set()
        holder.stop()
