import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bedside.audit.models import AppendOnlyError, AuditEvent
from bedside.audit.services import audit_record, audit_verify


@pytest.fixture
def three_events(practice, owner):
    return [
        audit_record(action=f"test.e{i}", actor=owner.user, practice=practice, data={"n": i})
        for i in range(3)
    ]


def test_events_chain_by_hash_per_practice(three_events, other_practice):
    first, second, third = three_events
    assert (first.seq, second.seq, third.seq) == (1, 2, 3)
    assert first.prev_hash == "0" * 64
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    other = audit_record(action="test.other", practice=other_practice)
    assert other.seq == 1 and other.chain == other_practice.pk
    assert audit_verify() == []


def test_the_app_cannot_edit_or_delete_events(three_events):
    event = three_events[0]
    event.action = "forged"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_sql_edit_is_detected_and_named(three_events, capsys):
    middle = three_events[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.forged", middle.pk]
        )
    breaks = audit_verify()
    assert [(b.seq, b.event_id) for b in breaks] == [(2, middle.pk)]
    assert "edited" in breaks[0].reason
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert f"seq=2 id={middle.pk}" in capsys.readouterr().err


def test_sql_delete_is_detected(three_events):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [three_events[1].pk])
    breaks = audit_verify()
    assert len(breaks) == 1 and breaks[0].seq == 3 and "deleted" in breaks[0].reason


def test_recomputed_hash_still_breaks_the_next_link(three_events):
    middle = three_events[1]
    middle.action = "test.forged"
    forged_hash = middle.compute_hash()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET action = %s, hash = %s WHERE id = %s",
            ["test.forged", forged_hash, middle.pk],
        )
    breaks = audit_verify()
    assert [(b.seq, b.reason) for b in breaks] == [
        (3, "previous-hash link does not match the entry before it")
    ]


def test_verify_command_passes_on_intact_log(three_events, capsys):
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_admin_sees_log_filtered_editor_does_not(owner, editor, login, three_events):
    page = login(owner).get("/audit/", {"action": "test.e1"})
    assert page.status_code == 200
    rows = page.content.decode().split("<tbody>")[1]
    assert "<code>test.e1</code>" in rows and "<code>test.e2</code>" not in rows
    assert login(editor).get("/audit/").status_code == 403
