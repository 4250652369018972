"""A Jetstream-like Bluesky event and typed msgspec structs to decode it."""

from __future__ import annotations

import msgspec

EVENT = {
    "did": "did:plc:4b2kq7yq5zjkx3pqh6w2m7vd",
    "time_us": 1732200000123456,
    "kind": "commit",
    "commit": {
        "rev": "3lbxk3t5bkk2o",
        "operation": "create",
        "collection": "app.bsky.feed.post",
        "rkey": "3lbxk3t4y7s2o",
        "record": {
            "$type": "app.bsky.feed.post",
            "createdAt": "2026-11-21T08:40:00.123Z",
            "langs": ["en"],
            "text": "Waited two hours at the clinic today 😷 but Dr. Smith was wonderful. #flushot",
            "facets": [
                {
                    "index": {"byteStart": 79, "byteEnd": 87},
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "flushot"}],
                }
            ],
        },
        "cid": "bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
    },
}


class Record(msgspec.Struct):
    text: str = ""
    createdAt: str = ""  # noqa: N815 - the wire name


class Commit(msgspec.Struct):
    operation: str = ""
    collection: str = ""
    rkey: str = ""
    record: Record | None = None


class Event(msgspec.Struct):
    did: str
    time_us: int
    kind: str
    commit: Commit | None = None
