from datetime import UTC, datetime

import pytest

from bedside.channels.connectors.base import Credentials, Media, PublishRequest, get_connector
from bedside.channels.connectors.bluesky.schemas import TID_RE, build_facets, rkey_for
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.bluesky import BlueskyFake

WHEN = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


@pytest.fixture
def sky():
    with BlueskyFake() as fake:
        yield fake


def make(sky, http, creds=None, hook=None):
    creds = creds or Credentials(extra={"app_password": sky.password})
    return get_connector(
        "bluesky",
        settings={"base_url": sky.url, "identifier": sky.handle},
        credentials=creds,
        http=http,
        on_credentials_refreshed=hook,
    )


def req(key="d-1", text="Flu shots today", **kw):
    return PublishRequest(text=text, idempotency_key=key, metadata={"scheduled_at": WHEN}, **kw)


def covered(text, facet):
    return text.encode()[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()


def test_facets_use_utf8_byte_offsets_with_non_ascii_text():
    text = "Grippe‑Impfung für alle 💉 #Gesundheit! Infos: https://www.rki.de/flu. Fragen? @drjones.bsky.social 日本 #予防"
    facets = build_facets(text, {"drjones.bsky.social": "did:plc:dr"}.get)
    kinds = [(covered(text, f), f["features"][0]) for f in facets]
    assert kinds == [
        ("#Gesundheit", {"$type": "app.bsky.richtext.facet#tag", "tag": "Gesundheit"}),
        (
            "https://www.rki.de/flu",
            {"$type": "app.bsky.richtext.facet#link", "uri": "https://www.rki.de/flu"},
        ),
        ("@drjones.bsky.social", {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:dr"}),
        ("#予防", {"$type": "app.bsky.richtext.facet#tag", "tag": "予防"}),
    ]
    # exact byte numbers: "Grippe‑Impfung für alle 💉 " is 6+3+7+1+4+1+4+1+4+1 bytes
    assert facets[0]["index"] == {"byteStart": 32, "byteEnd": 43}
    assert len(text[: text.index("#Gesundheit")]) == 26  # characters differ from bytes


def test_facets_bare_domain_and_unresolvable_mention():
    text = "See cdc.gov (or e.g. file.txt) @nobody.example"
    facets = build_facets(text, lambda h: None)
    assert [(covered(text, f), f["features"][0]["uri"]) for f in facets] == [
        ("cdc.gov", "https://cdc.gov")
    ]


def test_rkey_is_deterministic_valid_tid_and_distinct():
    a = rkey_for("delivery-1", WHEN)
    assert a == rkey_for("delivery-1", WHEN)
    assert a != rkey_for("delivery-2", WHEN)
    assert TID_RE.match(a) and TID_RE.match(rkey_for("delivery-1"))
    assert rkey_for("k") == rkey_for("k")
    later = rkey_for("delivery-1", datetime(2026, 3, 2, tzinfo=UTC))
    assert later > a  # TIDs sort by time


def test_publish_creates_session_record_and_embeds(sky, http):
    saved = []
    c = make(sky, http, hook=saved.append)
    text = "Flu shots at Riverside 💉 #FluSeason https://www.cdc.gov/flu ask @drjones.bsky.social"
    image = Media(b"\xff\xd8\xffjpeg", "image/jpeg", "Nurse with a vaccine")
    result = c.publish(req(text=text, media=[image]))
    rkey = rkey_for("d-1", WHEN)
    assert result.external_id == f"at://{sky.did}/app.bsky.feed.post/{rkey}"
    assert result.url == f"https://bsky.app/profile/{sky.handle}/post/{rkey}"
    paths = [r.path.removeprefix("/xrpc/") for r in sky.requests]
    assert paths == [
        "com.atproto.identity.resolveHandle",  # facets first (public, no session needed)
        "com.atproto.server.createSession",
        "com.atproto.repo.uploadBlob",
        "com.atproto.repo.createRecord",
    ]
    upload = sky.requests[2]
    assert upload.headers["content-type"] == "image/jpeg" and upload.body == image.data
    body = sky.requests[3].json()
    assert (body["repo"], body["collection"], body["rkey"]) == (sky.did, "app.bsky.feed.post", rkey)
    record = body["record"]
    assert record["$type"] == "app.bsky.feed.post"
    assert record["text"] == text
    assert record["createdAt"] == "2026-03-01T15:00:00.000Z"
    assert [f["features"][0]["$type"].rsplit("#")[1] for f in record["facets"]] == [
        "tag",
        "link",
        "mention",
    ]
    assert record["embed"]["images"][0]["alt"] == "Nurse with a vaccine"
    assert record["embed"]["images"][0]["image"]["mimeType"] == "image/jpeg"
    assert sky.violations == []
    # the session was handed to the owner to store, refresh token included
    assert saved and saved[-1].refresh_token in sky.refresh and saved[-1].extra["did"] == sky.did


def test_resend_same_key_returns_existing_record(sky, http):
    c = make(sky, http)
    first = c.publish(req())
    second = c.publish(req())
    assert first == second and len(sky.records) == 1


def test_unknown_outcome_then_retry_is_safe(sky, http):
    c = make(sky, http)
    c.validate()
    sky.fail_next(1, "drop")
    with pytest.raises(UnknownOutcomeError):
        c.publish(req())
    c.publish(req())
    assert len(sky.records) == 1


def test_expired_access_token_refreshes_and_keeps_refresh_token(sky, http):
    access, refresh = sky.issue_session()
    saved = []
    creds = Credentials(
        access_token=access, refresh_token=refresh, extra={"did": sky.did, "handle": sky.handle}
    )
    c = make(sky, http, creds=creds, hook=saved.append)
    sky.expire_access_tokens()
    c.publish(req())
    assert [r.path.rsplit(".", 1)[1] for r in sky.requests] == [
        "createRecord",
        "refreshSession",
        "createRecord",
    ]
    assert len(saved) == 1
    new = saved[0]
    assert new.access_token != access and new.refresh_token and new.refresh_token != refresh
    assert new.refresh_token in sky.refresh
    assert new.extra["did"] == sky.did
    assert sky.sessions_created == 0


def test_both_tokens_expired_without_password_is_auth_error(sky, http):
    creds = Credentials(
        access_token="stale-access-1234", refresh_token="stale-refresh-1234", extra={"did": sky.did}
    )
    with pytest.raises(TerminalError) as err:
        make(sky, http, creds=creds).publish(req())
    assert err.value.kind == "auth" and "Reconnect" in err.value.user_message
    assert "stale-access-1234" not in repr(err.value)


def test_wrong_app_password_is_auth_error(sky, http):
    with pytest.raises(TerminalError) as err:
        make(sky, http, creds=Credentials(extra={"app_password": "nope-nope"})).publish(req())
    assert err.value.kind == "auth"


def test_rate_limit_and_too_many_images(sky, http):
    c = make(sky, http)
    c.validate()
    sky.fail_next(1, "429", retry_after=30)
    with pytest.raises(RetryableError) as err:
        c.publish(req())
    assert err.value.retry_after == 30
    with pytest.raises(TerminalError) as err:
        c.publish(req(media=[Media(b"x", "image/png", "a")] * 5))
    assert err.value.kind == "rejected"
    with pytest.raises(TerminalError, match="1 MB"):
        c.publish(req(media=[Media(b"x" * 1_000_001, "image/png", "a")]))


def test_too_long_text_rejected_by_network(sky, http):
    with pytest.raises(TerminalError) as err:
        make(sky, http).publish(req(text="é" * 301))
    assert err.value.kind == "rejected" and "300 graphemes" in err.value.user_message


def test_validate_recent_metrics_delete(sky, http):
    c = make(sky, http)
    info = c.validate()
    assert (info.external_id, info.handle) == (sky.did, "@clinic.bsky.social")
    result = c.publish(req(text="Open late on Thursdays"))
    posts = c.recent_posts(10)
    assert posts[0].external_id == result.external_id and posts[0].text == "Open late on Thursdays"
    assert posts[0].created_at == WHEN
    assert c.fetch_metrics(result.external_id) == {
        "likes": 3,
        "reposts": 1,
        "replies": 2,
        "quotes": 0,
    }
    c.delete(result.external_id)
    assert sky.records == {}
    assert sky.violations == []
