"""Fake webhook receiver: verifies X-Bedside-Signature, counts deliveries by
Idempotency-Key, answers like an idempotent receiver (a repeated key gets the
first answer again).

In tests::

    with WebhookFake(secret="s3cret") as hook:
        ... hook.url + "/hook" ... hook.stats() ...

Standalone (for the multi-process kill -9 fault test)::

    python -m tests.fakes.webhook --port 8765 --secret s3cret
    # prints "listening on http://127.0.0.1:8765" then serves until killed
    curl http://127.0.0.1:8765/_stats
    # {"unique": n, "total": n, "duplicates": n, "bad_signature": n, "rejected": n}

Endpoints: POST /hook (any path not starting with /_ also works), GET /_stats,
GET /_deliveries ({key: count}), GET /_arrivals ({key: [first, last] arrival,
epoch seconds}: for dispatch-lag measurements), POST /_reset. Thread-safe; O(1)
per request.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import threading
import time
from typing import Any

from tests.fakes.server import FakeRequest, FakeResponse, FakeServer

BODY_KEYS = {"post_id", "delivery_id", "text", "media", "scheduled_at"}
MEDIA_KEYS = {"url", "mime", "alt_text"}
EDIT_KEYS = {"event", "post_id", "delivery_id", "external_id", "revision", "text"}


class WebhookFake(FakeServer):
    def __init__(
        self,
        secret: str | None = "secret",
        port: int = 0,
        keep_log: bool = True,
        host: str = "127.0.0.1",
    ):
        super().__init__(host=host, port=port)
        self.secret = secret
        self.keep_log = keep_log
        self._counts: dict[str, int] = {}
        self._answers: dict[str, dict[str, Any]] = {}
        self._arrivals: dict[str, list[float]] = {}
        self._total = 0
        self._bad_signature = 0
        self._rejected = 0
        self._stats_lock = threading.Lock()
        self.updates: dict[str, dict[str, Any]] = {}  # post.updated events by Idempotency-Key
        self.update_count = 0
        self.route("GET", "/_stats", lambda r: FakeResponse(200, self.stats()))
        self.route("GET", "/_deliveries", lambda r: FakeResponse(200, self.deliveries()))
        self.route("GET", "/_arrivals", lambda r: FakeResponse(200, self.arrivals()))
        self.route("POST", "/_reset", self._reset)
        self.route("POST", "/{path:path}", self._deliver)

    # -- inspection
    def stats(self) -> dict[str, int]:
        with self._stats_lock:
            unique = len(self._counts)
            return {
                "unique": unique,
                "total": self._total,
                "duplicates": self._total - unique,
                "bad_signature": self._bad_signature,
                "rejected": self._rejected,
            }

    def deliveries(self) -> dict[str, int]:
        with self._stats_lock:
            return dict(self._counts)

    def arrivals(self) -> dict[str, list[float]]:
        """{key: [first, last]} arrival times (time.time()) of accepted requests."""
        with self._stats_lock:
            return {k: list(v) for k, v in self._arrivals.items()}

    def _reset(self, req: FakeRequest) -> FakeResponse:
        with self._stats_lock:
            self._counts.clear()
            self._arrivals.clear()
            self._answers.clear()
            self._total = self._bad_signature = self._rejected = 0
        return FakeResponse(200, {"ok": True})

    # -- the receiver
    def _reject(self, req: FakeRequest, status: int, message: str) -> FakeResponse:
        self.violation(f"{req.method} {req.path}: {message}")
        with self._stats_lock:
            self._rejected += 1
        return FakeResponse(status, {"error": message})

    def _deliver(self, req: FakeRequest) -> FakeResponse:
        if req.path.startswith("/_"):
            return FakeResponse(404, {"error": "not found"})
        if req.content_type != "application/json":
            return self._reject(req, 415, "Content-Type must be application/json")
        key = req.headers.get("idempotency-key", "")
        if not key:
            return self._reject(req, 400, "missing Idempotency-Key")
        signature = req.headers.get("x-bedside-signature", "")
        if not signature.startswith("sha256=") or len(signature) != 71:
            with self._stats_lock:
                self._bad_signature += 1
            return self._reject(req, 401, "missing or malformed X-Bedside-Signature")
        if self.secret is not None:
            want = "sha256=" + hmac.new(self.secret.encode(), req.body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(want, signature):
                with self._stats_lock:
                    self._bad_signature += 1
                return self._reject(req, 401, "bad signature")
        try:
            body = json.loads(req.body)
        except ValueError:
            return self._reject(req, 400, "body is not JSON")
        if req.headers.get("x-bedside-event") == "post.updated":
            return self._update(req, key, body)
        problem = _check_body(body)
        if problem:
            return self._reject(req, 422, problem)
        now = time.time()
        with self._stats_lock:
            seen = self._arrivals.get(key)
            if seen is None:
                self._arrivals[key] = [now, now]
            else:
                seen[1] = now
            self._total += 1
            self._counts[key] = self._counts.get(key, 0) + 1
            answer = self._answers.get(key)
            if answer is None:
                n = len(self._answers) + 1
                answer = {"id": f"wh_{n}", "url": f"{self.url}/posts/wh_{n}"}
                self._answers[key] = answer
        return FakeResponse(200, answer)

    def _update(self, req: FakeRequest, key: str, body: Any) -> FakeResponse:
        """A post.updated event: its own keys; repeated keys are applied once."""
        if not isinstance(body, dict) or set(body) != EDIT_KEYS or body["event"] != "post.updated":
            return self._reject(req, 422, f"post.updated body keys must be {sorted(EDIT_KEYS)}")
        if not isinstance(body["text"], str) or not body["external_id"]:
            return self._reject(req, 422, "post.updated needs text and external_id")
        with self._stats_lock:
            self.update_count += 1
            self.updates.setdefault(key, body)
        return FakeResponse(200, {"ok": True})


def _check_body(body: Any) -> str | None:
    if not isinstance(body, dict) or set(body) != BODY_KEYS:
        keys = sorted(body) if isinstance(body, dict) else type(body).__name__
        return f"body keys must be {sorted(BODY_KEYS)}, got {keys}"
    if not isinstance(body["text"], str):
        return "text must be a string"
    if not isinstance(body["media"], list):
        return "media must be a list"
    for item in body["media"]:
        if not isinstance(item, dict) or not set(item) >= MEDIA_KEYS:
            return f"media items need {sorted(MEDIA_KEYS)}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fake webhook receiver for Bedside tests")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--secret", default=None, help="verify signatures with this secret")
    args = parser.parse_args(argv)
    fake = WebhookFake(secret=args.secret, port=args.port, keep_log=False, host=args.host)
    print(f"listening on http://{args.host}:{fake.port}", flush=True)
    try:
        fake._httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        fake._httpd.server_close()
        print(json.dumps(fake.stats()), file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
