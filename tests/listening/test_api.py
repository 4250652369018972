"""The fixed API: POST/GET /api/v1/monitors and GET /api/v1/mentions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bedside.listening.models import Mention, Monitor, Source

pytestmark = pytest.mark.django_db

MENTION_KEYS = {
    "id", "monitor", "phrase", "source", "external_id", "url", "author", "text",
    "published_at", "sentiment", "misinformation", "state",
}  # fmt: skip


def _mention(monitor, source, n, *, sentiment="neutral", day=20):  # type: ignore[no-untyped-def]
    return Mention.objects.create(
        practice=monitor.practice, monitor=monitor, source=source, phrase=monitor.phrases[0],
        external_id=f"e{n}", url=f"https://x.example/{n}", author="ann", text=f"{monitor.phrases[0]} {n}",
        published_at=datetime(2026, 11, day, 12, n, tzinfo=UTC), sentiment=sentiment,
    )  # fmt: skip


def test_create_monitor_answers_201_with_its_id(api, editor):
    response = api(editor).post(
        "/api/v1/monitors",
        json={"name": "Flu", "phrases": ["flu shot", "#FluShot"], "exclude": ["bird flu"]},
    )
    assert response.status_code == 201
    body = response.json()
    monitor = Monitor.objects.get()
    assert body["id"] == monitor.pk
    assert {k: body[k] for k in ("name", "phrases", "exclude", "kind", "active")} == {
        "name": "Flu", "phrases": ["flu shot", "#FluShot"], "exclude": ["bird flu"], "kind": "custom", "active": True,
    }  # fmt: skip
    assert monitor.practice == editor.practice


def test_create_monitor_errors_name_the_field(api, editor):
    response = api(editor).post("/api/v1/monitors", json={"name": "Flu", "phrases": ["???"]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "phrases"]
    response = api(editor).post("/api/v1/monitors", json={"name": "Flu"})
    assert response.status_code == 422
    assert "phrases" in response.json()["detail"][0]["loc"]
    response = api(editor).post("/api/v1/monitors", raw=b"{nope")
    assert response.status_code == 422
    assert Monitor.objects.count() == 0


def test_viewer_cannot_create(api, viewer):
    response = api(viewer).post("/api/v1/monitors", json={"name": "Flu", "phrases": ["flu"]})
    assert response.status_code == 403
    assert Monitor.objects.count() == 0


def test_list_monitors_is_paged_and_scoped(api, viewer, monitor, outsider):
    Monitor.objects.create(practice=outsider.practice, name="Theirs", phrases=["lakeside"])
    body = api(viewer).get("/api/v1/monitors").json()
    assert body["count"] == 1
    assert [m["name"] for m in body["items"]] == ["Maple Family Clinic"]


def test_delete_monitor(api, editor, monitor, outsider):
    assert api(outsider).request("delete", f"/api/v1/monitors/{monitor.pk}").status_code == 404
    assert api(editor).request("delete", f"/api/v1/monitors/{monitor.pk}").status_code == 204
    assert not Monitor.objects.exists()


def test_mentions_filters_and_shape(api, viewer, monitor, practice, outsider):
    source = Source.objects.create(uri="jsonl:-")
    other = Monitor.objects.create(practice=practice, name="Flu", phrases=["flu"])
    _mention(monitor, source, 1, sentiment="negative", day=19)
    _mention(monitor, source, 2, sentiment="positive", day=20)
    _mention(other, source, 3, sentiment="negative", day=21)
    theirs = Monitor.objects.create(practice=outsider.practice, name="T", phrases=["lakeside"])
    _mention(theirs, source, 4)
    client = api(viewer)
    body = client.get("/api/v1/mentions").json()
    assert body["count"] == 3
    assert [i["external_id"] for i in body["items"]] == ["e3", "e2", "e1"]  # newest first
    first = body["items"][0]
    assert set(first) == MENTION_KEYS
    assert (first["monitor"], first["source"], first["state"], first["misinformation"]) == (
        other.pk, "jsonl: (an import)", "new", False,  # a shared import's path stays on the server
    )  # fmt: skip
    assert first["published_at"].startswith("2026-11-21T12:03:00")
    assert client.get("/api/v1/mentions", monitor=monitor.pk).json()["count"] == 2
    assert client.get("/api/v1/mentions", sentiment="negative").json()["count"] == 2
    assert client.get("/api/v1/mentions", since="2026-11-20T00:00:00Z").json()["count"] == 2
    page = client.get("/api/v1/mentions", limit=1, offset=1).json()
    assert (page["count"], [i["external_id"] for i in page["items"]]) == (3, ["e2"])
    assert api(outsider).get("/api/v1/mentions").json()["count"] == 1  # only their own


@pytest.mark.parametrize(
    ("params", "field"),
    [({"sentiment": "angry"}, "sentiment"), ({"limit": 0}, "limit"), ({"since": "yesterday"}, "since"),
     ({"monitor": "x"}, "monitor"), ({"offset": -1}, "offset")],
)  # fmt: skip
def test_bad_mention_filters_name_the_field(api, viewer, params, field):
    response = api(viewer).get("/api/v1/mentions", **params)
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_patch_mention_state(api, editor, viewer, monitor):
    mention = _mention(monitor, Source.objects.create(uri="jsonl:-"), 1)
    assert (
        api(viewer)
        .request("patch", f"/api/v1/mentions/{mention.pk}", json={"state": "seen"})
        .status_code
        == 403
    )
    response = api(editor).request(
        "patch", f"/api/v1/mentions/{mention.pk}", json={"state": "answered"}
    )
    assert (response.status_code, response.json()["state"]) == (200, "answered")
    bad = api(editor).request("patch", f"/api/v1/mentions/{mention.pk}", json={"state": "gone"})
    assert bad.status_code == 422
    mention.refresh_from_db()
    assert mention.state == "answered"
