"""POST /api/v1/scan: the command's input and output over HTTP, and its bad input."""

from __future__ import annotations

import orjson
import pytest

from bedside.compliance.engine import scan
from bedside.compliance.models import TextCheck
from bedside.compliance.services import compliance_context
from tests.compliance.factories import ConsentFactory

REPLY = "Thanks Maria, glad the new meds are working!"


@pytest.fixture
def client(editor, api):
    return api(editor)


def test_one_object_in_one_result_out(practice, client):
    response = client.post("/api/v1/scan", json={"id": "r1", "text": REPLY, "kind": "review_reply"})

    assert response.status_code == 200
    expected = scan(REPLY, kind="review_reply", context=compliance_context(practice=practice))
    assert response.json() == {"id": "r1", **expected.to_dict()}
    assert [f["category"] for f in response.json()["findings"]] == ["name", "patient_relationship"]
    assert set(response.json()["findings"][0]) == {
        "start", "end", "category", "severity", "explanation", "suggestion",
    }  # fmt: skip
    assert TextCheck.objects.count() == 0  # a checking tool: nothing stored


def test_a_list_in_a_list_out_in_order_with_the_practice_context(practice, owner, client):
    ConsentFactory(practice=practice, patient_name="Rosa Delgado")
    items = [
        {"id": 1, "text": "Rosa Delgado ran her first 5K!", "kind": "post"},
        {"id": 2, "text": "Call us at (217) 555-0142.", "kind": "post"},
        {"text": "Dr. Priya Raman joins the team.", "kind": "post"},
    ]

    response = client.post("/api/v1/scan", json=items)

    body = response.json()
    assert response.status_code == 200
    assert [(r["id"], r["verdict"]) for r in body] == [(1, "pass"), (2, "pass"), (None, "pass")]
    assert body[0]["findings"][0]["severity"] == "info"


def test_a_given_context_replaces_the_practice_context(practice, client):
    item = {"text": "Say hi to Dr. Priya Raman!", "kind": "post", "context": {"staff": []}}

    response = client.post("/api/v1/scan", json=item)

    assert response.json()["verdict"] != "pass"


def test_kind_defaults_to_post_like_the_command(practice, client):
    response = client.post("/api/v1/scan", json={"text": "Flu shots on Tuesdays."})
    assert response.json() == {"id": None, "verdict": "pass", "findings": []}


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"text": ""}, ["body", "text"]),
        ({"text": "   "}, ["body", "text"]),
        ({"kind": "post"}, ["body", "text"]),
        ({"text": 5}, ["body", "text"]),
        ([{"text": "Thanks!"}, {"text": ""}], ["body", 1, "text"]),
        ({"text": "hi", "kind": "tweet"}, ["body", "kind"]),
        ({"text": "hi", "context": {"staff": "Dr. Raman"}}, ["body", "context", "staff"]),
        ({"text": "hi", "context": {"practice_phone": 5}}, ["body", "context", "practice_phone"]),
        (
            {"text": "hi", "context": {"consents": [{"name": "A B", "covers": ["x"]}]}},
            ["body", "context", "consents[0]", "covers"],
        ),
        ({"text": "hi", "context": []}, ["body", "context"]),
        ("just a string", ["body"]),
    ],
)
def test_bad_input_is_422_naming_the_field(practice, client, payload, loc):
    response = client.post("/api/v1/scan", json=payload)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


def test_malformed_json_is_422(practice, client):
    response = client.post("/api/v1/scan", raw=b'{"text": ')
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body"]


def test_a_text_over_1_mb_is_413(practice, client):
    response = client.post("/api/v1/scan", json={"id": 1, "text": "a" * 1_000_001})

    assert response.status_code == 413
    assert response.json() == {"detail": "The text is 1000001 bytes, over the 1000000-byte limit."}


def test_a_body_over_the_upload_limit_is_413_before_parsing(practice, client):
    body = orjson.dumps({"text": "word " * 500_000})  # 2.5 MB

    response = client.post("/api/v1/scan", raw=body)

    assert response.status_code == 413
    assert response.json()["detail"].startswith(f"The request body is {len(body)} bytes")


def test_a_100_kb_text_scans_quickly(practice, client):
    import time

    text = ("We are open late on Thursdays for flu shots. " * 2300)[:100_000]
    started = time.perf_counter()
    response = client.post("/api/v1/scan", json={"text": text})
    assert response.status_code == 200
    assert time.perf_counter() - started < 1.0


def test_needs_a_token(practice):
    from django.test import Client

    response = Client().post("/api/v1/scan", b'{"text": "hi"}', content_type="application/json")
    assert response.status_code == 401
