"""Base for connectors using OAuth 2.0 bearer tokens with refresh (X, LinkedIn,
Google Business Profile).

* A token that expires within a minute is refreshed before the call.
* A 401 answer means the call was refused (nothing applied): refresh once and
  repeat it.
* The refresh answer's new refresh token is kept; when the server sends none
  (Google), the old one is kept (``Credentials.refreshed``). The new
  credentials go to ``on_credentials_refreshed`` to be stored encrypted.
* A refused refresh (``invalid_grant``) is a TerminalError(kind="auth"): the
  user must reconnect. A network failure during refresh stays retryable and
  never disconnects the channel.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from bedside.channels.connectors.base import Connector, preparatory
from bedside.core.http import HttpClient, Response, TerminalError

REFRESH_MARGIN = timedelta(seconds=60)


class OAuth2Connector(Connector):
    token_url_default: ClassVar[str] = ""
    # "basic": client credentials in an Authorization: Basic header (X);
    # "body": client_id/client_secret form fields (Google, LinkedIn).
    client_auth: ClassVar[str] = "body"

    def _setting_or_extra(self, name: str) -> str:
        return str(self.settings.get(name) or self.credentials.extra.get(name) or "")

    def _secrets(self) -> list[str]:
        return [*super()._secrets(), self._setting_or_extra("client_secret")]

    def _auth_error(self, detail: str) -> TerminalError:
        return TerminalError(
            detail,
            kind="auth",
            user_message=(
                f"The connection to {self.display_name} has expired or was revoked. "
                "Reconnect the account in Settings → Channels."
            ),
            service=self.display_name,
            secrets=self._secrets(),
        )

    @preparatory
    def refresh_access_token(self) -> None:
        """Exchange the refresh token for a new access token (and refresh token)."""
        creds = self.credentials
        if not creds.refresh_token:
            raise self._auth_error(
                f"{self.display_name} token expired and no refresh token is stored"
            )
        data = {"grant_type": "refresh_token", "refresh_token": creds.refresh_token}
        headers: dict[str, str] = {}
        client_id = self._setting_or_extra("client_id")
        client_secret = self._setting_or_extra("client_secret")
        if client_id:
            data["client_id"] = client_id
        if client_secret and self.client_auth == "basic":
            pair = f"{client_id}:{client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        elif client_secret:
            data["client_secret"] = client_secret
        url = str(self.settings.get("token_url") or self._default_token_url())
        response = self.http.post(
            url,
            data=data,
            headers=headers,
            service=self.display_name,
            secrets=self._secrets(),
            raise_for_status=False,
        )
        if response.status_code in (400, 401, 403):
            error = str(response.json_or_empty().get("error") or "")
            raise self._auth_error(
                f"{self.display_name} refused the token refresh ({error or response.status_code})"
            )
        HttpClient.raise_for(
            response, method="POST", service=self.display_name, secrets=self._secrets()
        )
        body = response.json()
        expires_in = body.get("expires_in")
        expires_at = datetime.now(UTC) + timedelta(seconds=int(expires_in)) if expires_in else None
        self._set_credentials(
            creds.refreshed(
                access_token=str(body["access_token"]),
                refresh_token=body.get("refresh_token"),
                expires_at=expires_at,
            )
        )

    def _default_token_url(self) -> str:
        return self.token_url_default

    def _ensure_fresh(self) -> None:
        expires_at = self.credentials.expires_at
        if not self.credentials.access_token or (
            expires_at is not None and expires_at - datetime.now(UTC) < REFRESH_MARGIN
        ):
            self.refresh_access_token()

    def _reason(self, response: Response) -> str:
        """The network's explanation of an error, for the user message."""
        body = response.json_or_empty()
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or "")[:300]
        return str(body.get("detail") or body.get("message") or error or "")[:300]

    def _raise(self, response: Response, method: str) -> None:
        """Raise the classified error for a non-2xx answer (connectors may override)."""
        HttpClient.raise_for(
            response,
            method=method,
            service=self.display_name,
            reason=self._reason(response),
            secrets=self._secrets(),
        )

    def _extra_headers(self) -> dict[str, str]:
        return {}

    def _bearer(self, method: str, url: str, **kw: Any) -> Response:
        self._ensure_fresh()
        headers = dict(kw.pop("headers", {}))
        for attempt in (1, 2):
            all_headers = {
                **self._extra_headers(),
                **headers,
                "Authorization": f"Bearer {self.credentials.access_token}",
            }
            response = self.http.request(
                method,
                url,
                headers=all_headers,
                service=self.display_name,
                secrets=self._secrets(),
                raise_for_status=False,
                **kw,
            )
            if response.status_code == 401 and attempt == 1 and self.credentials.refresh_token:
                self.refresh_access_token()
                continue
            break
        if not response.ok:
            self._raise(response, method)
        return response
