from bedside.accounts.permissions import Perm
from tests import world
from tests.url_cases import UrlCase

M = Perm.MANAGE_CHANNELS

CASES = [
    UrlCase("channels:list", lambda w: "/settings/channels/", perm=M, setup=world.channel),
    UrlCase("channels:new", lambda w: "/settings/channels/new/", perm=M),
    UrlCase(
        "channels:detail",
        lambda w: f"/settings/channels/{world.channel(w).pk}/",
        perm=M,
        scope="object",
    ),
    UrlCase(
        "channels:test",
        lambda w: f"/settings/channels/{world.channel(w).pk}/test/",
        method="post",
        perm=M,
        scope="object",
    ),
    UrlCase(
        "api:channel_create",
        lambda w: "/api/v1/channels",
        method="post",
        api=True,
        perm=M,
        data=lambda w: {"type": "mastodon", "name": "Toots", "settings": {}},
    ),
    UrlCase("api:channel_list", lambda w: "/api/v1/channels", api=True, setup=world.channel),
]
