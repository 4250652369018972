from django.test import Client


def test_me_answers_who_the_token_acts_as(editor, api):
    response = api(editor).get("/api/v1/me")
    assert response.status_code == 200
    assert response.json() == {
        "email": "editor@maple.test",
        "role": "editor",
        "practice": {
            "slug": "maple-family-clinic",
            "name": "Maple Family Clinic",
            "time_zone": "America/Chicago",
        },
    }


def test_missing_token_is_401_json(db):
    response = Client().get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_invalid_token_is_401_json(db):
    response = Client().get(
        "/api/v1/me", HTTP_AUTHORIZATION="Bearer bsd_not-a-real-token-at-all-000000"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_session_cookie_does_not_authenticate_the_api(owner, login):
    assert login(owner).get("/api/v1/me").status_code == 401


def test_malformed_json_is_422_naming_the_body(owner, api):
    client = api(owner)
    response = client.client.generic(
        "PATCH",
        "/api/v1/practice",
        b'{"name": ',
        content_type="application/json",
        **client._headers(),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]
    assert response.json()["detail"][0]["msg"].startswith("Malformed JSON")


def test_wrong_type_is_422_naming_the_field_and_nothing_changes(owner, api):
    response = api(owner).request("patch", "/api/v1/practice", json={"idle_timeout_minutes": 600})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "payload", "idle_timeout_minutes"]
    owner.practice.refresh_from_db()
    assert owner.practice.idle_timeout_minutes == 15


def test_invalid_time_zone_is_422_naming_the_field(owner, api):
    response = api(owner).request("patch", "/api/v1/practice", json={"time_zone": "Mars/Olympus"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "time_zone"]


def test_patch_updates_profile_and_audits(owner, api):
    response = api(owner).request("patch", "/api/v1/practice", json={"time_zone": "America/Denver"})
    assert response.status_code == 200 and response.json()["time_zone"] == "America/Denver"
    from bedside.audit.models import AuditEvent

    assert AuditEvent.objects.get(action="practice.updated").data == {"fields": ["time_zone"]}


def test_editor_cannot_patch_practice(editor, api):
    response = api(editor).request("patch", "/api/v1/practice", json={"name": "Hijacked"})
    assert response.status_code == 403
    editor.practice.refresh_from_db()
    assert editor.practice.name == "Maple Family Clinic"


def test_openapi_schema_is_served(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/me" in response.json()["paths"]
