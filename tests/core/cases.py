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
        "core:health",
        lambda w: "/healthz",
        perm=None,
        scope="public",
        reason="liveness probe: answers ok only",
    ),
]
