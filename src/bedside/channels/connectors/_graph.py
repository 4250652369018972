"""Shared Meta Graph API plumbing (Facebook Pages and Instagram).

The access token travels as the documented ``access_token`` parameter (form
body for POST, query for GET/DELETE); the HTTP client redacts it from errors
and logs. Graph errors are ``{"error": {"message", "type", "code",
"error_subcode", "is_transient", "fbtrace_id"}}`` and are classified by code:
190/102/463/467 and permission errors (10, 200-299) → reconnect; 4/17/32/613/
80001 and the Instagram publishing limit (9) → retry later; 1/2 (transient
service errors) → unknown outcome for writes; everything else → rejected.
"""

from __future__ import annotations

from typing import Any

from bedside.channels.connectors.base import Connector
from bedside.core.http import (
    UNAPPLIED_5XX,
    HttpClient,
    Response,
    RetryableError,
    TerminalError,
    UnknownOutcomeError,
    parse_retry_after,
)

AUTH_CODES = {102, 190, 10} | set(range(200, 300))
RATE_CODES = {4, 9, 17, 32, 613, 80001, 80002, 80004}
TRANSIENT_CODES = {1, 2}
DEFAULT_GRAPH = "https://graph.facebook.com/v21.0"


class GraphConnector(Connector):
    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.base = self._base_url(DEFAULT_GRAPH)

    def _graph(self, method: str, path: str, **kw: Any) -> Response:
        token = {"access_token": self.credentials.access_token}
        if method == "POST":  # form or multipart body, never the URL
            kw["data"] = {**kw.get("data", {}), **token}
        else:
            kw["params"] = {**kw.get("params", {}), **token}
        response = self.http.request(
            method,
            f"{self.base}/{path.lstrip('/')}",
            service=self.display_name,
            secrets=self._secrets(),
            raise_for_status=False,
            **kw,
        )
        if not response.ok:
            self._raise_graph(response, method)
        body = response.json_or_empty()
        if "error" in body:  # Graph sometimes answers 200 with an error body
            self._raise_graph(
                Response(400, response.headers, response.content, response.url), method
            )
        return response

    def _raise_graph(self, response: Response, method: str) -> None:
        error = response.json_or_empty().get("error")
        if not isinstance(error, dict):
            HttpClient.raise_for(
                response, method=method, service=self.display_name, secrets=self._secrets()
            )
            return
        code = int(error.get("code") or 0)
        message = str(error.get("error_user_msg") or error.get("message") or "")[:300]
        common: dict[str, Any] = {
            "status": response.status_code,
            "service": self.display_name,
            "secrets": self._secrets(),
        }
        detail = f"{self.display_name} error {code}/{error.get('error_subcode')}: {message}"
        if code in AUTH_CODES:
            raise TerminalError(
                detail,
                kind="auth",
                user_message=(
                    f"The connection to {self.display_name} has expired or lost its permissions. "
                    "Reconnect the account in Settings → Channels."
                ),
                **common,
            )
        if (
            code in RATE_CODES
            or response.status_code == 429
            or response.status_code in UNAPPLIED_5XX
        ):
            raise RetryableError(detail, retry_after=parse_retry_after(response.headers), **common)
        if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
            if method in ("GET", "HEAD"):
                raise RetryableError(detail, **common)
            raise UnknownOutcomeError(detail, **common)
        if response.status_code == 404 or code == 803:
            raise TerminalError(
                detail,
                kind="not_found",
                user_message=f"{self.display_name} could not find it.",
                **common,
            )
        raise TerminalError(
            detail,
            kind="rejected",
            user_message=f"{self.display_name} rejected the post: {message} Edit the post and try again.",
            **common,
        )
