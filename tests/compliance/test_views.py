"""Pages: Check a text (with and without htmx), the editor partial, policy and roster."""

from __future__ import annotations

import pytest

from bedside.audit.models import AuditEvent
from bedside.compliance.editor import replacement_apply, segments, shown_findings
from bedside.compliance.models import CompliancePolicy, StaffMember, TextCheck
from bedside.compliance.services import compliance_context, policy_for

REPLY = "Thanks Maria, glad the new meds are working!"
PARTIAL = "/compliance/check/findings/"


def test_check_page_shows_the_editor_for_any_member(practice, viewer, login):
    body = login(viewer).get("/compliance/check/").content.decode()

    assert "<h1>Check a text</h1>" in body
    assert '<label for="check-text">Text to check</label>' in body
    assert 'hx-trigger="keyup changed delay:400ms, change"' in body
    assert 'hx-post="/compliance/check/findings/"' in body


def test_check_page_without_js_shows_findings_and_stores_only_the_check(practice, viewer, login):
    response = login(viewer).post("/compliance/check/", {"text": REPLY, "kind": "review_reply"})

    body = response.content.decode()
    assert 'data-verdict="block"' in body
    assert '<mark class="finding block" data-category="name"' in body
    assert "“Maria” — A person&#x27;s first name." in body
    check = TextCheck.objects.get()
    assert (check.kind, check.verdict) == ("review_reply", "block")
    assert "Maria" not in str(check.findings)
    assert not AuditEvent.objects.filter(action__startswith="compliance").exists()


def test_check_page_without_js_applies_a_replacement(practice, viewer, login):
    response = login(viewer).post(
        "/compliance/check/",
        {"text": "Happy birthday Mrs. Okafor!", "kind": "post", "apply": "15:26:name"},
    )

    body = response.content.decode()
    assert ">Happy birthday [name removed]!</textarea>" in body
    assert 'data-verdict="pass"' in body


def test_partial_returns_only_the_findings_panel(practice, editor, login):
    response = login(editor).post(
        PARTIAL,
        {
            "body": REPLY,
            "text_field": "body",
            "editor_id": "composer",
            "editor_kind": "review_reply",
        },
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert body.strip().startswith('<p class="verdict">')  # the live region's content
    assert "<textarea" not in body and 'id="composer-findings"' not in body
    assert body.count('<li id="composer-f') == 2
    assert 'value="7:12:name"' in body and 'hx-target="#composer"' in body


def test_fixed_kind_wins_over_the_host_forms_kind(practice, editor, login):
    body = (
        login(editor)
        .post(
            PARTIAL,
            {"text": "Sorry your crown came loose.", "kind": "post", "editor_kind": "review_reply"},
        )
        .content.decode()
    )
    assert 'data-verdict="block"' in body
    assert TextCheck.objects.get().kind == "review_reply"


def test_partial_replacement_returns_the_whole_editor_with_the_new_text(practice, editor, login):
    response = login(editor).post(
        PARTIAL,
        {
            "text": "Happy birthday Mrs. Okafor!", "kind": "post", "apply": "15:26:name",
            "editor_id": "check", "editor_label": "Text to check",
        },
        HTTP_HX_REQUEST="true",
    )  # fmt: skip

    body = response.content.decode()
    assert body.strip().startswith('<div id="check" class="compliance-editor"')
    assert ">Happy birthday [name removed]!</textarea>" in body
    assert '<label for="check-text">Text to check</label>' in body
    assert 'data-verdict="pass"' in body


def test_a_stale_replacement_changes_nothing(practice, editor, login):
    body = (
        login(editor)
        .post(PARTIAL, {"text": "Happy birthday Mrs. Okafor!", "kind": "post", "apply": "0:5:name"})
        .content.decode()
    )
    assert ">Happy birthday Mrs. Okafor!</textarea>" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "", "kind": "post"}, "Type or paste a text"),
        ({"text": "hello", "kind": "tweet"}, "Unknown kind of text"),
        ({"text": "a" * 1_000_001, "kind": "post"}, "over the 1000000-byte limit"),
    ],
)
def test_partial_explains_bad_input(practice, editor, login, data, message):
    response = login(editor).post(PARTIAL, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TextCheck.objects.count() == 0


def test_bad_field_names_are_not_trusted(practice, editor, login):
    body = (
        login(editor)
        .post(PARTIAL, {"text": "hi", "text_field": 'x" onmouseover="alert(1)', "editor_id": "<b>"})
        .content.decode()
    )
    assert "onmouseover" not in body and "<b>" not in body


def test_policy_page_saves_and_audits(practice, owner, login):
    client = login(owner)
    assert client.get("/compliance/policy/").status_code == 200

    response = client.post(
        "/compliance/policy/",
        {
            "sensitive_categories": ["name", "patient_relationship"],
            "require_approval_for_all": "on",
        },
    )

    assert response.status_code == 302
    policy = CompliancePolicy.objects.get(practice=practice)
    assert (policy.sensitive_categories, policy.require_approval_for_all) == (
        ["name", "patient_relationship"], True,
    )  # fmt: skip
    assert policy.block_on_warn_in_replies is False
    event = AuditEvent.objects.get(action="compliance.policy_updated")
    assert event.data["fields"] == ["require_approval_for_all", "sensitive_categories"]


def test_policy_rejects_unknown_category(practice, owner, login):
    response = login(owner).post("/compliance/policy/", {"sensitive_categories": ["shoe_size"]})
    assert response.status_code == 200
    assert policy_for(practice).pk is None


def test_roster_add_and_take_off(practice, owner, login):
    client = login(owner)

    client.post(
        "/compliance/policy/staff/", {"name": "Hygienist  Tara Nguyen", "role_title": "Hygienist"}
    )
    member = StaffMember.objects.get()
    assert "Hygienist Tara Nguyen" in compliance_context(practice=practice)["staff"]

    client.post(f"/compliance/policy/staff/{member.pk}/toggle/")
    assert "Hygienist Tara Nguyen" not in compliance_context(practice=practice)["staff"]
    assert list(
        AuditEvent.objects.filter(action__startswith="compliance.staff")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["compliance.staff_added", "compliance.staff_deactivated"]

    client.post("/compliance/policy/staff/", {"name": "hygienist tara nguyen"})
    assert StaffMember.objects.count() == 1


def test_editor_segments_and_replacement():
    text = "Thanks Maria, glad the new meds are working!"
    findings = [
        {"start": 14, "end": 43, "category": "patient_relationship", "severity": "block",
         "explanation": "x", "suggestion": "Call us."},
        {"start": 7, "end": 12, "category": "name", "severity": "block",
         "explanation": "x", "suggestion": "[name removed]"},
        {"start": 10, "end": 20, "category": "date", "severity": "warn",
         "explanation": "overlaps", "suggestion": "[date removed]"},
    ]  # fmt: skip
    shown = shown_findings(text, findings)

    assert [(s.text, s.number) for s in segments(text, shown)] == [
        ("Thanks ", 0), ("Maria", 1), (", glad t", 2), ("he new meds are working", 3), ("!", 0),
    ]  # fmt: skip
    assert replacement_apply(text, findings, "7:12:name") == (
        "Thanks [name removed], glad the new meds are working!"
    )
    assert replacement_apply(text, findings, "7:12:date") is None


def test_override_page_records_and_returns(practice, compliance_officer, login):
    from bedside.compliance.models import Override
    from bedside.compliance.services import text_check

    check = text_check(practice=practice, text=REPLY, kind="review_reply")
    client = login(compliance_officer)
    url = f"/compliance/checks/{check.pk}/override/"

    short = client.post(url, {"reason": "ok", "next": "/compliance/check/"})
    assert (short.status_code, Override.objects.count()) == (302, 0)

    response = client.post(
        url, {"reason": "Written authorization on file.", "next": "/compliance/check/"}
    )
    assert response["Location"] == "/compliance/check/"
    assert Override.objects.get().text_check_id == check.pk

    away = client.post(
        url, {"reason": "Written authorization on file.", "next": "https://evil.example/"}
    )
    assert away["Location"] == "/"


def test_override_page_refuses_editors_and_changes_nothing(practice, editor, login):
    from bedside.compliance.models import Override
    from bedside.compliance.services import text_check

    check = text_check(practice=practice, text=REPLY, kind="review_reply")
    response = login(editor).post(
        f"/compliance/checks/{check.pk}/override/", {"reason": "Written authorization on file."}
    )
    assert response.status_code == 403
    assert Override.objects.count() == 0
