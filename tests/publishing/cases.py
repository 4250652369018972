from bedside.accounts.permissions import Perm
from tests import world
from tests.url_cases import UrlCase

P = Perm.PUBLISH


def _d(w, state, action):
    return f"/publishing/deliveries/{world.delivery(w, state).pk}/{action}/"


CASES = [
    UrlCase("publishing:pause", lambda w: "/publishing/pause/", perm=P),
    UrlCase(
        "publishing:delivery_reschedule",
        lambda w: _d(w, "expired", "reschedule"),
        method="post",
        perm=P,
        scope="object",
        data=lambda w: {"when": "2099-03-04T09:30"},
    ),
    UrlCase(
        "publishing:delivery_drop",
        lambda w: _d(w, "expired", "drop"),
        method="post",
        perm=P,
        scope="object",
    ),
    UrlCase(
        "publishing:delivery_retry",
        lambda w: _d(w, "failed", "retry"),
        method="post",
        perm=P,
        scope="object",
    ),
    UrlCase(
        "publishing:delivery_resolve",
        lambda w: _d(w, "needs_review", "resolve"),
        method="post",
        perm=P,
        scope="object",
        data=lambda w: {"outcome": "published"},
    ),
]

CASES.append(
    UrlCase(
        "publishing:delivery_remove",
        lambda w: _d(w, "published", "remove"),
        method="post",
        perm=P,
        scope="object",
    )
)

CASES.append(
    UrlCase(
        "publishing:delivery_edit_retry",
        lambda w: _d(w, "published", "edit-retry"),
        method="post",
        perm=P,
        scope="object",
    )
)
