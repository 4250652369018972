"""Editing a published post in place, against each network's fake (success and failures)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import pytest

from bedside.channels.connectors.base import (
    Credentials,
    Editor,
    Media,
    PublishRequest,
    edit_refusal,
    get_connector,
)
from bedside.channels.connectors.webhook.connector import sign
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.gbp import GoogleBusinessFake
from tests.fakes.linkedin import LinkedInFake
from tests.fakes.mastodon import MastodonFake
from tests.fakes.meta import MetaGraphFake
from tests.fakes.webhook import WebhookFake

NEW = "Flu clinic moved to Sunday 9-12."


def edit_req(text=NEW, key="d-1-e2", **meta):
    return PublishRequest(text=text, idempotency_key=key, metadata={"language": "en", **meta})


# --------------------------------------------------------------------------- capability


def test_which_networks_can_edit():
    editable = {"mastodon", "facebook", "linkedin", "gbp", "site"}
    for type in editable:
        assert edit_refusal(type) is None
    assert "Bluesky" in edit_refusal("bluesky")
    assert "X" in edit_refusal("x")
    assert "Instagram" in edit_refusal("instagram")
    assert "e-mail" in edit_refusal("email")
    assert "edit_events" in edit_refusal("webhook", {"url": "https://h.example"})
    assert edit_refusal("webhook", {"edit_events": True}) is None


# --------------------------------------------------------------------------- Mastodon


@pytest.fixture
def masto():
    with MastodonFake() as fake:
        yield fake


def _masto(fake, http, token=None):
    return get_connector(
        "mastodon",
        settings={"base_url": fake.url, "media_poll_interval": 0.01},
        credentials=Credentials(access_token=token or fake.token),
        http=http,
    )


def test_mastodon_edit_keeps_media_and_sends_documented_fields(masto, http):
    c = _masto(masto, http)
    assert isinstance(c, Editor)
    first = c.publish(
        PublishRequest(
            text="Flu clinic Saturday.", idempotency_key="d-1",
            media=[Media(b"\x89PNG", "image/png", "Front desk")],
        )
    )  # fmt: skip
    masto.requests.clear()
    result = c.edit(first.external_id, edit_req())
    read, put = masto.requests
    assert (read.method, read.path) == ("GET", f"/api/v1/statuses/{first.external_id}")
    assert (put.method, put.path) == ("PUT", f"/api/v1/statuses/{first.external_id}")
    assert put.headers["authorization"] == f"Bearer {masto.token}"
    assert put.headers["content-type"] == "application/json"
    media_id = next(iter(masto.media))
    assert put.json() == {"status": NEW, "media_ids": [media_id], "language": "en"}
    status = masto.statuses[first.external_id]
    assert status["content"] == f"<p>{NEW}</p>" and len(status["media_attachments"]) == 1
    assert status["edited_at"] and result.external_id == first.external_id
    assert masto.violations == []


def test_mastodon_edit_failures(masto, http):
    c = _masto(masto, http)
    sid = c.publish(PublishRequest(text="Hello.", idempotency_key="d-1")).external_id
    masto.fail_next(1, "503")  # the read before the edit: nothing changed
    with pytest.raises(RetryableError):
        c.edit(sid, edit_req())
    masto.fail_next(1, "500")  # the GET is preparatory: still retryable
    with pytest.raises(RetryableError):
        c.edit(sid, edit_req())
    masto.requests.clear()
    masto.fail_next(1, "delay")
    masto.fail_next(1, "429", retry_after=7)
    with pytest.raises(RetryableError) as rate:
        c.edit(sid, edit_req())
    assert rate.value.retry_after == 7
    masto.fail_next(1, "delay")
    masto.fail_next(1, "500")  # the PUT itself: may have applied
    with pytest.raises(UnknownOutcomeError):
        c.edit(sid, edit_req())
    masto.fail_next(1, "delay")
    masto.fail_next(1, "timeout", delay=1.5)
    with pytest.raises(UnknownOutcomeError):
        c.edit(sid, edit_req())
    with pytest.raises(TerminalError) as too_long:
        c.edit(sid, edit_req(text="x" * 501))
    assert too_long.value.kind == "rejected"
    with pytest.raises(TerminalError) as gone:
        c.edit("999", edit_req())
    assert gone.value.kind in ("not_found",)
    with pytest.raises(TerminalError) as expired:
        _masto(masto, http, token="revoked-token-xyz").edit(sid, edit_req())
    assert expired.value.kind == "auth"


# --------------------------------------------------------------------------- Facebook


@pytest.fixture
def graph():
    with MetaGraphFake() as fake:
        yield fake


def _fb(graph, http, token=None):
    return get_connector(
        "facebook",
        settings={"base_url": graph.graph_url, "page_id": graph.page_id},
        credentials=Credentials(access_token=token or graph.token),
        http=http,
    )


def test_facebook_edit_updates_the_page_post(graph, http):
    c = _fb(graph, http)
    post_id = c.publish(PublishRequest(text="Flu shots Saturday.", idempotency_key="d")).external_id
    graph.requests.clear()
    result = c.edit(post_id, edit_req())
    (call,) = graph.requests
    assert (call.method, call.path) == ("POST", f"/v21.0/{post_id}")
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.form() == {"message": [NEW], "access_token": [graph.token]}
    assert graph.posts[post_id]["message"] == NEW and graph.posts[post_id]["edits"] == 1
    assert result.url == f"https://www.facebook.com/{post_id}"
    assert graph.violations == []


def test_facebook_edit_failures(graph, http):
    c = _fb(graph, http)
    post_id = c.publish(PublishRequest(text="Hi.", idempotency_key="d")).external_id
    graph.fail_next(1, "429")
    with pytest.raises(RetryableError):
        c.edit(post_id, edit_req())
    graph.fail_next(1, "503")
    with pytest.raises(RetryableError):
        c.edit(post_id, edit_req())
    graph.fail_next(1, "500")
    with pytest.raises(UnknownOutcomeError):
        c.edit(post_id, edit_req())
    graph.fail_next(1, "401")
    with pytest.raises(TerminalError) as expired:
        c.edit(post_id, edit_req())
    assert expired.value.kind == "auth" and "Reconnect" in expired.value.user_message
    with pytest.raises(TerminalError) as gone:
        c.edit(f"{graph.page_id}_404", edit_req())
    assert gone.value.kind == "not_found"
    assert graph.posts[post_id]["message"] == "Hi."


# --------------------------------------------------------------------------- LinkedIn


@pytest.fixture
def li():
    with LinkedInFake() as fake:
        yield fake


def _li(li, http):
    access, refresh = li.issue()
    return get_connector(
        "linkedin",
        settings={"base_url": li.url, "author": li.author, "api_version": "202510",
                  "token_url": f"{li.url}/oauth/v2/accessToken", "client_id": li.client_id},
        credentials=Credentials(access_token=access, refresh_token=refresh,
                                extra={"client_secret": li.client_secret}),
        http=http,
    )  # fmt: skip


def test_linkedin_edit_is_a_partial_update_of_the_commentary(li, http):
    c = _li(li, http)
    urn = c.publish(PublishRequest(text="Flu shots!", idempotency_key="d")).external_id
    li.requests.clear()
    c.edit(urn, edit_req(text="Flu shots (walk-in) #FluSeason"))
    (call,) = li.requests
    assert call.method == "POST" and unquote(call.path) == f"/rest/posts/{urn}"
    assert call.path == f"/rest/posts/{urn.replace(':', '%3A')}"
    assert call.headers["x-restli-method"] == "PARTIAL_UPDATE"
    assert call.headers["linkedin-version"] == "202510"
    assert call.headers["x-restli-protocol-version"] == "2.0.0"
    assert call.json() == {
        "patch": {"$set": {"commentary": "Flu shots \\(walk-in\\) {hashtag|\\#|FluSeason}"}}
    }
    assert li.posts[urn]["edits"] == 1 and li.violations == []


def test_linkedin_edit_failures_and_token_refresh(li, http):
    c = _li(li, http)
    urn = c.publish(PublishRequest(text="Hi", idempotency_key="d")).external_id
    li.fail_next(1, "429", retry_after=3)
    with pytest.raises(RetryableError) as rate:
        c.edit(urn, edit_req())
    assert rate.value.retry_after == 3
    li.fail_next(1, "504")
    with pytest.raises(RetryableError):
        c.edit(urn, edit_req())
    li.fail_next(1, "500")
    with pytest.raises(UnknownOutcomeError):
        c.edit(urn, edit_req())
    li.fail_next(1, "401")  # expired token: refreshed once, then the edit goes through
    c.edit(urn, edit_req())
    assert li.posts[urn]["commentary"] == NEW.replace(".", ".")
    with pytest.raises(TerminalError) as gone:
        c.edit("urn:li:share:1", edit_req())
    assert gone.value.kind == "not_found"
    with pytest.raises(TerminalError) as long:
        c.edit(urn, edit_req(text="x" * 3001))
    assert long.value.kind == "rejected"


# --------------------------------------------------------------------------- Google Business Profile


@pytest.fixture
def g():
    with GoogleBusinessFake() as fake:
        yield fake


def _g(g, http):
    access, refresh = g.issue()
    return get_connector(
        "gbp",
        settings={"base_url": g.url, "account_id": g.account, "location_id": g.location,
                  "token_url": f"{g.url}/token", "client_id": g.client_id},
        credentials=Credentials(access_token=access, refresh_token=refresh,
                                expires_at=datetime.now(UTC) + timedelta(hours=1),
                                extra={"client_secret": g.client_secret}),
        http=http,
    )  # fmt: skip


def test_gbp_edit_patches_the_summary(g, http):
    c = _g(g, http)
    name = c.publish(PublishRequest(text="Flu shots.", idempotency_key="d")).external_id
    g.requests.clear()
    result = c.edit(name, edit_req())
    (call,) = g.requests
    assert (call.method, call.path) == ("PATCH", f"/v4/{name}")
    assert call.q("updateMask") == "summary"
    assert call.json() == {"summary": NEW}
    post = g.posts[name.rsplit("/", 1)[1]]
    assert post["summary"] == NEW and post["topicType"] == "STANDARD"
    assert result.external_id == name and g.violations == []


def test_gbp_edit_failures(g, http):
    c = _g(g, http)
    name = c.publish(PublishRequest(text="Flu shots.", idempotency_key="d")).external_id
    g.fail_next(1, "503")
    with pytest.raises(RetryableError):
        c.edit(name, edit_req())
    g.fail_next(1, "500")
    with pytest.raises(UnknownOutcomeError):
        c.edit(name, edit_req())
    with pytest.raises(TerminalError) as long:
        c.edit(name, edit_req(text="x" * 1501))  # refused before any call
    assert long.value.kind == "rejected"
    g.fail_next(1, "401")  # refreshed once, then applied
    c.edit(name, edit_req())
    with pytest.raises(TerminalError) as gone:
        c.edit(f"{name[:-3]}999", edit_req())
    assert gone.value.kind == "not_found"


# --------------------------------------------------------------------------- webhook


@pytest.fixture
def hook():
    with WebhookFake(secret="whsec-1") as fake:
        yield fake


def _hook(hook, http, **settings):
    return get_connector(
        "webhook",
        settings={"url": f"{hook.url}/hook", "secret": "whsec-1", **settings},
        credentials=Credentials(),
        http=http,
    )


def test_webhook_edit_is_a_signed_post_updated_event(hook, http):
    c = _hook(hook, http, edit_events=True)
    c.edit("wh_1", edit_req(key="bedside-abc:e2", post_id=5, delivery_id=9, revision=2))
    c.edit("wh_1", edit_req(key="bedside-abc:e2", post_id=5, delivery_id=9, revision=2))
    first, _again = hook.requests
    assert first.headers["x-bedside-event"] == "post.updated"
    assert first.headers["idempotency-key"] == "bedside-abc:e2"
    assert first.headers["x-bedside-signature"] == sign("whsec-1", first.body)
    assert json.loads(first.body) == {
        "event": "post.updated", "post_id": 5, "delivery_id": 9, "external_id": "wh_1",
        "revision": 2, "text": NEW,
    }  # fmt: skip
    assert hook.update_count == 2 and len(hook.updates) == 1
    assert hook.stats()["total"] == 0  # an edit is not a new post
    assert hook.violations == []


def test_webhook_without_edit_events_refuses(hook, http):
    with pytest.raises(TerminalError) as off:
        _hook(hook, http).edit("wh_1", edit_req())
    assert off.value.kind == "config" and hook.requests == []
