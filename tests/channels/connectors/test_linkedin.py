from urllib.parse import unquote

import pytest

from bedside.channels.connectors.base import Credentials, Media, PublishRequest, get_connector
from bedside.channels.connectors.linkedin.connector import escape_little_text
from bedside.core.http import RetryableError, TerminalError, UnknownOutcomeError
from tests.fakes.linkedin import LinkedInFake


@pytest.fixture
def li():
    with LinkedInFake() as fake:
        yield fake


def make(li, http, creds=None, saved=None):
    if creds is None:
        access, refresh = li.issue()
        creds = Credentials(access_token=access, refresh_token=refresh)
    return get_connector(
        "linkedin",
        settings={
            "base_url": li.url,
            "author": li.author,
            "api_version": "202510",
            "token_url": f"{li.url}/oauth/v2/accessToken",
            "client_id": li.client_id,
        },
        credentials=Credentials(
            access_token=creds.access_token,
            refresh_token=creds.refresh_token,
            extra={"client_secret": li.client_secret},
        ),
        http=http,
        on_credentials_refreshed=saved.append if saved is not None else None,
    )


def req(text="Flu shots (walk-in) this Saturday! #FluSeason @ our clinic", key="d-1", **kw):
    return PublishRequest(text=text, idempotency_key=key, **kw)


def test_escape_little_text():
    assert escape_little_text("Hours (Mon-Fri) #Health_Tips a*b @x [y] <z> ~ | {} \\") == (
        "Hours \\(Mon-Fri\\) {hashtag|\\#|Health_Tips} a\\*b \\@x \\[y\\] \\<z\\> \\~ \\| \\{\\} \\\\"
    )


def test_escape_keeps_links_intact():
    assert escape_little_text("See https://example.com/a_b(c) (now)") == (
        "See https://example.com/a_b(c) \\(now\\)"
    )


def test_publish_text_post_field_by_field(li, http):
    result = make(li, http).publish(req())
    (call,) = li.requests
    assert (call.method, call.path) == ("POST", "/rest/posts")
    assert call.headers["linkedin-version"] == "202510"
    assert call.headers["x-restli-protocol-version"] == "2.0.0"
    assert call.headers["content-type"] == "application/json"
    assert call.json() == {
        "author": li.author,
        "commentary": "Flu shots \\(walk-in\\) this Saturday! {hashtag|\\#|FluSeason} \\@ our clinic",
        "visibility": "PUBLIC",
        "distribution": {
            "feedDistribution": "MAIN_FEED",
            "targetEntities": [],
            "thirdPartyDistributionChannels": [],
        },
        "lifecycleState": "PUBLISHED",
        "isReshareDisabledByAuthor": False,
    }
    assert result.external_id in li.posts
    assert result.url == f"https://www.linkedin.com/feed/update/{result.external_id}/"
    assert li.violations == []


def test_publish_with_image_and_article(li, http):
    c = make(li, http)
    c.publish(req(media=[Media(b"\x89PNG", "image/png", "Our nurses")]))
    init, put, post = li.requests
    assert init.q("action") == "initializeUpload"
    assert put.method == "PUT" and put.body == b"\x89PNG"
    image = next(iter(li.images))
    assert post.json()["content"] == {"media": {"id": image, "altText": "Our nurses"}}
    c.publish(
        req(
            key="d-2",
            text="Read this",
            link="https://medlineplus.gov/flu.html",
            metadata={"title": "Flu | MedlinePlus"},
        )
    )
    assert li.requests[-1].json()["content"] == {
        "article": {"source": "https://medlineplus.gov/flu.html", "title": "Flu | MedlinePlus"}
    }
    assert li.violations == []


def test_revoked_token_refresh_keeps_refresh_token(li, http):
    access, refresh = li.issue()
    li.access.discard(access)
    saved = []
    c = make(li, http, Credentials(access_token=access, refresh_token=refresh), saved)
    c.publish(req())
    assert [r.path for r in li.requests] == ["/rest/posts", "/oauth/v2/accessToken", "/rest/posts"]
    assert saved[0].refresh_token == refresh and saved[0].access_token != access
    assert len(li.posts) == 1


def test_no_refresh_token_is_auth_error(li, http):
    c = make(li, http, Credentials(access_token="AQV-unknown-token-1"))
    with pytest.raises(TerminalError) as err:
        c.publish(req())
    assert err.value.kind == "auth" and "LinkedIn" in err.value.user_message


@pytest.mark.parametrize(
    ("mode", "exc"),
    [
        ("429", RetryableError),
        ("504", RetryableError),
        ("500", UnknownOutcomeError),
        ("drop", UnknownOutcomeError),
    ],
)
def test_failures(li, http, mode, exc):
    li.fail_next(1, mode)
    with pytest.raises(exc):
        make(li, http).publish(req())


def test_too_long_rejected(li, http):
    with pytest.raises(TerminalError) as err:
        make(li, http).publish(req(text="a" * 3001))
    assert err.value.kind == "rejected" and "3000" in err.value.user_message


def test_validate_recent_metrics_delete(li, http):
    c = make(li, http)
    assert c.validate().name == "Riverside Clinic"
    result = c.publish(req())
    posts = c.recent_posts(5)
    assert posts[0].external_id == result.external_id
    assert posts[0].text == "Flu shots (walk-in) this Saturday! #FluSeason @ our clinic"
    assert unquote(li.requests[-1].query["author"][0]) == li.author
    assert c.fetch_metrics(result.external_id) == {"likes": 9, "comments": 3}
    c.delete(result.external_id)
    c.delete(result.external_id)
    assert li.posts == {} and li.violations == []
