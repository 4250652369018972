"""Monitor services, default monitors, mention state, alert settings and the ingest path."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bedside.audit.models import AuditEvent
from bedside.listening import services
from bedside.listening.ingest import Item, mentions_ingest
from bedside.listening.models import AlertSettings, Mention, Monitor
from bedside.listening.runtime import ListeningRuntime

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ monitors


def test_editor_creates_a_monitor_with_audit(editor):
    monitor = services.monitor_create(
        actor=editor,
        name=" Flu  season ",
        phrases=["flu shot", " #FluShot ", "flu shot"],
        exclude=["bird flu"],
    )
    assert (monitor.name, monitor.phrases, monitor.exclude) == (
        "Flu season",
        ["flu shot", "#FluShot"],
        ["bird flu"],
    )
    event = AuditEvent.objects.get(action="listening.monitor_created")
    assert event.object_id == str(monitor.pk)
    assert event.data == {"kind": "custom", "phrases": 2}


def test_viewer_cannot_create_a_monitor(viewer):
    with pytest.raises(PermissionDenied):
        services.monitor_create(actor=viewer, name="x", phrases=["flu"])
    assert Monitor.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="listening.").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "phrases": ["a"]}, "name"),
        ({"name": "x", "phrases": []}, "phrases"),
        ({"name": "x", "phrases": ["   "]}, "phrases"),
        ({"name": "x", "phrases": ["!!!"]}, "phrases"),
        ({"name": "x", "phrases": ["a" * 301]}, "phrases"),
        ({"name": "x", "phrases": ["a"], "languages": ["english"]}, "languages"),
        ({"name": "x", "phrases": ["a"], "kind": "nope"}, "kind"),
    ],
)
def test_bad_monitor_input_names_the_field(editor, data, field):
    with pytest.raises(ValidationError) as exc:
        services.monitor_create(actor=editor, **data)
    assert field in exc.value.message_dict
    assert Monitor.objects.count() == 0


def test_monitor_names_are_unique_per_practice(editor, outsider):
    services.monitor_create(actor=editor, name="Flu", phrases=["flu"])
    with pytest.raises(ValidationError) as exc:
        services.monitor_create(actor=editor, name="flu", phrases=["flu"])
    assert exc.value.message_dict == {"name": ["Another monitor already has this name."]}
    services.monitor_create(actor=outsider, name="Flu", phrases=["flu"])  # another practice: fine
    assert Monitor.objects.count() == 2


def test_update_and_delete_monitor_of_another_practice_is_refused(editor, outsider):
    theirs = services.monitor_create(actor=outsider, name="Theirs", phrases=["lakeside"])
    with pytest.raises(PermissionDenied):
        services.monitor_update(actor=editor, monitor=theirs, name="Mine")
    with pytest.raises(PermissionDenied):
        services.monitor_delete(actor=editor, monitor=theirs)
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_default_monitors_come_from_profile_and_roster(practice, owner, clinician, editor):
    practice.description = "Family medicine and urgent care for all ages."
    practice.city = "Springfield"
    practice.website = "https://www.maple.example/"
    practice.save()
    created = services.monitor_defaults_create(practice=practice)
    by_kind = {(m.kind, m.name): m.phrases for m in created}
    assert by_kind[("practice_name", "Maple Family Clinic")] == [
        "Maple Family Clinic", "#MapleFamilyClinic", "Maple Family", "maple.example",
    ]  # fmt: skip
    assert by_kind[("clinician", "Dr. Priya Raman")] == [
        "Dr. Priya Raman", "Priya Raman", "Dr Raman", "Dr. Raman",
    ]  # fmt: skip
    assert by_kind[("clinician", "Dr. June Park")][:2] == ["Dr. June Park", "June Park"]
    assert by_kind[("service", "Our services")] == [
        "family medicine Springfield", "urgent care Springfield",
        "Springfield family medicine", "Springfield urgent care",
    ]  # fmt: skip
    assert ("myth", "Health myths") in by_kind
    assert not any("Will Turner" in name for _, name in by_kind)  # editors are not clinicians
    # running again creates nothing
    assert services.monitor_defaults_create(practice=practice) == []
    assert Monitor.objects.filter(practice=practice).count() == len(created)


# ------------------------------------------------------------------ mentions, settings


def _store(rt, source, *items):  # type: ignore[no-untyped-def]
    rt.build_now()
    return mentions_ingest(source=source, items=list(items), rt=rt)


def test_mention_state_change_is_audited(editor, monitor, make_source, rt):
    _store(rt, make_source("jsonl:-"), Item("a", "Maple Family Clinic rocks"))
    mention = Mention.objects.get()
    services.mention_set_state(actor=editor, mention=mention, state="answered")
    mention.refresh_from_db()
    assert mention.state == "answered"
    assert AuditEvent.objects.get(action="listening.mention_state").data == {
        "from": "new",
        "to": "answered",
    }
    with pytest.raises(ValidationError):
        services.mention_set_state(actor=editor, mention=mention, state="deleted")


def test_alert_settings_validation(editor, viewer, practice):
    with pytest.raises(ValidationError) as exc:
        services.alert_settings_update(actor=editor, digest_hour=24)
    assert "digest_hour" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.alert_settings_update(actor=viewer, digest_hour=9)
    assert not AlertSettings.objects.exists()
    services.alert_settings_update(actor=editor, digest_hour=9, spike_threshold=2)
    assert AlertSettings.objects.get(practice=practice).digest_hour == 9


# ------------------------------------------------------------------ ingestion


def test_ingest_stores_each_match_once_and_skips_exclusions(monitor, make_source, rt):
    source = make_source("jsonl:-")
    items = [
        Item(
            "1",
            "Booked at MAPLE family clínic today",
            "ann",
            "https://x.example/1",
            "2026-11-20T10:00:00Z",
        ),
        Item("2", "Nothing to see here"),
        Item("3", "maple family clinic syrup is a product, not us"),
        Item("4", "Loved the #MapleClinic staff!"),
    ]
    result = _store(rt, source, *items)
    assert (result.items, result.hits) == (4, 2)  # the excluded item is no hit
    rows = list(
        Mention.objects.order_by("external_id").values_list("external_id", "phrase", "author")
    )
    assert rows == [("1", "Maple Family Clinic", "ann"), ("4", "#MapleClinic", "")]
    first = Mention.objects.get(external_id="1")
    assert first.highlighted[1] == "MAPLE family clínic"
    assert first.published_at.isoformat() == "2026-11-20T10:00:00+00:00"
    _store(rt, source, *items)  # the same items again
    assert Mention.objects.count() == 2


def test_negative_mention_of_practice_is_flagged_for_an_alert(monitor, make_source, rt):
    _store(rt, make_source("jsonl:-"), Item("1", "Maple Family Clinic was rude and awful"))
    mention = Mention.objects.get()
    assert (mention.sentiment, mention.alert_pending, mention.misinformation) == (
        "negative",
        True,
        False,
    )


def test_myth_monitor_and_bedside_myth_list_flag_misinformation(practice, make_source, rt):
    Monitor.objects.create(practice=practice, name="Flu", kind="topic", phrases=["flu shot"])
    _store(rt, make_source("jsonl:-"), Item("1", "Truth: the flu shot gives you the flu"))
    assert Mention.objects.get().misinformation is True


def test_language_filter(practice, make_source, rt):
    Monitor.objects.create(practice=practice, name="Gripe", phrases=["gripe"], languages=["es"])
    _store(
        rt,
        make_source("jsonl:-"),
        Item("en", "gripe about parking", langs=("en",)),
        Item("es", "la gripe llegó", langs=("es",)),
        Item("unknown", "gripe sin idioma"),
    )
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == ["es", "unknown"]


def test_practice_source_only_feeds_its_own_practice(
    monitor, other_practice, make_source, rt, practice
):
    Monitor.objects.create(practice=other_practice, name="Also", phrases=["Maple Family Clinic"])
    _store(
        rt,
        make_source("rss:https://feeds.example/own.xml", practice=practice),
        Item("1", "Maple Family Clinic"),
    )
    assert list(Mention.objects.values_list("practice_id", flat=True)) == [practice.pk]
    _store(
        rt, make_source("rss:https://feeds.example/global.xml"), Item("1", "Maple Family Clinic")
    )
    assert Mention.objects.filter(source__practice__isnull=True).count() == 2


@pytest.mark.django_db(transaction=True)
def test_monitor_deleted_after_matching_drops_only_its_rows(monitor, practice, make_source, rt):
    other = Monitor.objects.create(practice=practice, name="Other", phrases=["clinic"])
    rt.build_now()
    other.delete()  # the runtime still has it
    mentions_ingest(source=make_source("jsonl:-"), items=[Item("1", "Maple Family Clinic")], rt=rt)
    assert list(Mention.objects.values_list("monitor_id", flat=True)) == [monitor.pk]


@pytest.mark.django_db(transaction=True)
def test_new_monitor_is_matched_within_ten_seconds(editor, make_source):
    """A running ingestor notices a monitor added anywhere (signature poll) and rebuilds."""
    rt = ListeningRuntime()
    rt.start()
    try:
        source = make_source("jsonl:-")
        assert rt.holder.matcher.match("New flu clinic opening") == []
        monitor = services.monitor_create(actor=editor, name="Flu", phrases=["flu clinic"])
        started = time.monotonic()
        while time.monotonic() - started < 10:
            ticket = rt.refresh_if_changed(force=True)
            if ticket:
                assert rt.holder.wait_for(ticket, timeout=10)
            if rt.holder.matcher.match("New flu clinic opening"):
                break
            time.sleep(0.1)
        assert time.monotonic() - started < 10
        mentions_ingest(source=source, items=[Item("1", "New flu clinic opening")], rt=rt)
        assert Mention.objects.get().monitor_id == monitor.pk
        services.monitor_delete(actor=editor, monitor=monitor)
        ticket = rt.refresh_if_changed(force=True)
        assert ticket and rt.holder.wait_for(ticket, timeout=10)
        assert rt.holder.matcher.match("New flu clinic opening") == []
    finally:
        rt.stop()
    assert threading.active_count() >= 1


def test_only_http_links_are_kept(monitor, make_source, rt):
    _store(
        rt,
        make_source("jsonl:-"),
        Item("1", "Maple Family Clinic", url="javascript:alert(1)"),
        Item("2", "Maple Family Clinic", url="HTTPS://ok.example/2"),
    )
    assert dict(Mention.objects.values_list("external_id", "url")) == {
        "1": "",
        "2": "HTTPS://ok.example/2",
    }
