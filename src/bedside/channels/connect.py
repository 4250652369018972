"""Building a connector for a stored channel, wired to persist refreshed tokens."""

from __future__ import annotations

from bedside.channels.connectors.base import Connector, Credentials, get_connector
from bedside.channels.models import ChannelAccount
from bedside.core.http import HttpClient

_shared_http: HttpClient | None = None


def shared_http() -> HttpClient:
    """One client per process (thread-safe, pooled)."""
    global _shared_http
    if _shared_http is None:
        _shared_http = HttpClient()
    return _shared_http


def connector_for(channel: ChannelAccount, *, http: HttpClient | None = None) -> Connector:
    """The channel's connector. Refreshed tokens are stored at once (never lost)."""
    from bedside.channels.services import channel_credentials_refreshed

    def _persist(new: Credentials) -> None:
        channel_credentials_refreshed(channel_id=channel.pk, credentials=new)

    return get_connector(
        channel.type,
        # practice_id: the site connector publishes into this practice's own blog.
        settings={**channel.settings, "practice_id": channel.practice_id},
        credentials=channel.credentials(),
        http=http or shared_http(),
        on_credentials_refreshed=_persist,
    )
