"""A local Jetstream: a WebSocket server sending Bluesky commit events.

    with JetstreamFake() as js:            # ws://127.0.0.1:<port>/subscribe
        js.events = [post_event(did, rkey, text, time_us), ...]
        js.drop_after = 2                    # send 2 events, then half a frame, then cut the TCP
        ... js.url ... js.cursors (the cursor each connection asked for)

It honours `cursor` as Jetstream does: replays events with time_us >= cursor.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from urllib.parse import parse_qs, urlsplit

from websockets.sync.server import ServerConnection, serve


def post_event(did: str, rkey: str, text: str, time_us: int, langs=("en",)) -> dict:  # type: ignore[no-untyped-def]
    return {
        "did": did,
        "time_us": time_us,
        "kind": "commit",
        "commit": {
            "rev": "3l",
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": rkey,
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": "2026-11-21T07:00:00.000Z",
                "langs": list(langs),
            },
            "cid": "bafy",
        },
    }


class JetstreamFake:
    def __init__(self) -> None:
        self.events: list[dict] = []
        self.raw_before: list[str] = []  # raw messages sent first (e.g. invalid JSON)
        self.drop_after: int | None = None
        self.cursors: list[str | None] = []
        self.connections = 0
        self._server = serve(self._handle, "127.0.0.1", 0)
        self.port = self._server.socket.getsockname()[1]
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/subscribe"

    def __enter__(self) -> JetstreamFake:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()

    def _handle(self, conn: ServerConnection) -> None:
        self.connections += 1
        query = parse_qs(urlsplit(conn.request.path).query)
        cursor = query.get("cursor", [None])[0]
        self.cursors.append(cursor)
        for raw in self.raw_before:
            conn.send(raw)
        sent = 0
        drop = self.drop_after
        self.drop_after = None  # only the first connection drops
        for event in self.events:
            if cursor and event["time_us"] < int(cursor):
                continue
            if drop is not None and sent == drop:
                self._cut_mid_message(conn, event)
                return
            conn.send(json.dumps(event))
            sent += 1
        conn.close()

    @staticmethod
    def _cut_mid_message(conn: ServerConnection, event: dict) -> None:
        """Announce a text frame, send half of it, and cut the TCP connection."""
        data = json.dumps(event).encode()
        header = b"\x81" + (
            bytes([len(data)]) if len(data) < 126 else b"\x7e" + struct.pack("!H", len(data))
        )
        sock = conn.socket
        sock.sendall(header + data[: len(data) // 2])
        sock.shutdown(socket.SHUT_RDWR)
        sock.close()
