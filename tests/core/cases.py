from tests.url_cases import UrlCase

CASES = [
    UrlCase("core:dashboard", lambda w: "/"),
    UrlCase(
        "core:practice_switch",
        lambda w: "/practice/switch/",
        method="post",
        data=lambda w: {"practice_id": w.practice.pk},
    ),
    UrlCase(
        "core:public_media",
        lambda w: "/media/site/none.png",
        perm=None,
        scope="public",
        reason="serves only files published on the public site (MEDIA_ROOT/site)",
    ),
    UrlCase(
        "core:health",
        lambda w: "/healthz",
        perm=None,
        scope="public",
        reason="liveness probe: answers ok only",
    ),
]
