"""Per-network text limits, counted the way each network counts. Pure functions.

* X: 280 *weighted* characters (twitter-text v3 configuration): text is NFC
  normalised; each URL counts 23; each emoji (including ZWJ sequences, flags,
  keycaps, skin tones) counts 2; every other code point counts 1 if it lies in
  U+0000–U+10FF, U+2000–U+200D, U+2010–U+201F or U+2032–U+2037, otherwise 2
  (so CJK, most symbols and astral characters count 2).
* Bluesky: 300 grapheme clusters (and 3,000 UTF-8 bytes), links counted in full.
* Mastodon: 500 grapheme clusters, each http(s) URL counts 23, a remote mention
  ``@user@domain`` counts as ``@user`` (Mastodon's StatusLengthValidator).
* LinkedIn 3,000, Facebook 63,206, Instagram 2,200 (plus: an image is required,
  at most 30 hashtags and 20 mentions), Google Business Profile 1,500: counted
  in Unicode code points.

URL detection follows twitter-text in spirit, not byte for byte: a scheme URL,
or a bare domain with a common generic TLD (``cdc.gov``) or a country TLD
followed by a path.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import regex

TEXT_LIMITS: dict[str, int] = {
    "x": 280,
    "bluesky": 300,
    "mastodon": 500,
    "linkedin": 3000,
    "facebook": 63206,
    "instagram": 2200,
    "gbp": 1500,
}
MAX_MEDIA: dict[str, int] = {
    "x": 4,
    "bluesky": 4,
    "mastodon": 4,
    "instagram": 10,
    "linkedin": 20,
    "facebook": 10,
    "gbp": 10,
}
NAMES = {
    "x": "X",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "linkedin": "LinkedIn",
    "facebook": "Facebook",
    "instagram": "Instagram",
    "gbp": "Google Business Profile",
    "webhook": "the webhook",
    "email": "the newsletter",
}
URL_WEIGHT = 23
BLUESKY_MAX_BYTES = 3000
INSTAGRAM_MAX_HASHTAGS = 30
INSTAGRAM_MAX_MENTIONS = 20

_GTLDS = frozenset(
    [
        "com",
        "org",
        "net",
        "gov",
        "edu",
        "mil",
        "int",
        "info",
        "biz",
        "health",
        "healthcare",
        "care",
        "clinic",
        "dental",
        "doctor",
        "hospital",
        "app",
        "dev",
        "news",
        "online",
        "site",
        "xyz",
        "social",
        "blog",
        "page",
        "link",
        "shop",
        "store",
        "org",
        "academy",
        "center",
        "community",
        "foundation",
        "life",
        "live",
        "media",
        "network",
        "today",
        "world",
    ]
)
_TRAIL = r"(?:[^\s<>\"'()\[\]{}]*[^\s<>\"'()\[\]{}.,;:!?])?"
SCHEME_URL_RE = regex.compile(r"(?i)\bhttps?://[^\s<>\"']+(?<![.,;:!?'\")\]])")
_BARE_RE = regex.compile(
    r"(?i)(?<![@\w.\-/])(?P<labels>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+)"
    rf"(?P<tld>[a-z]{{2,24}})\b(?::\d{{1,5}})?(?P<path>/{_TRAIL})?"
)


def find_urls(text: str, *, bare: bool = True) -> list[tuple[int, int]]:
    """Spans of URLs: scheme URLs, and (if ``bare``) bare domains the way twitter-text
    accepts them: a generic TLD, or a country TLD with a path or a sub-domain."""
    spans = []
    for m in SCHEME_URL_RE.finditer(text):
        start, end = m.span()
        # keep a closing parenthesis that balances one inside the URL (Wikipedia-style)
        if (
            end < len(text)
            and text[end] == ")"
            and text.count("(", start, end) > text.count(")", start, end)
        ):
            end += 1
        spans.append((start, end))
    if bare:
        for m in _BARE_RE.finditer(text):
            if any(s <= m.start() < e for s, e in spans):
                continue
            tld = m.group("tld").lower()
            labels = m.group("labels").count(".")
            if tld in _GTLDS or (len(tld) == 2 and (m.group("path") or labels >= 2)):
                spans.append(m.span())
    return sorted(spans)


MASTODON_MENTION_RE = regex.compile(r"(?<![\w/])@(\w+(?:[.-]+\w+)*)@[\w.-]+\w")
_EMOJI_CLUSTER_RE = regex.compile(
    r"\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F|\u20E3|\p{Regional_Indicator}"
)
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
HASHTAG_RE = regex.compile(r"(?<![\w&])#(\w*\p{L}\w*)")
MENTION_RE = regex.compile(r"(?<![\w@])@([\w.]+)")


@dataclass(frozen=True)
class LimitResult:
    count: int
    limit: int | None
    ok: bool
    message: str


def graphemes(text: str) -> int:
    """Number of user-perceived characters (extended grapheme clusters)."""
    return len(regex.findall(r"\X", text))


def _x_weight_plain(segment: str) -> int:
    weight = 0
    for cluster in regex.findall(r"\X", segment):
        if _EMOJI_CLUSTER_RE.search(cluster):
            weight += 2
            continue
        for ch in cluster:
            cp = ord(ch)
            weight += 1 if any(lo <= cp <= hi for lo, hi in _X_LIGHT_RANGES) else 2
    return weight


def x_weighted_length(text: str) -> int:
    """Weighted length as X counts it (twitter-text v3)."""
    text = unicodedata.normalize("NFC", text)
    total, pos = 0, 0
    for start, end in find_urls(text):
        total += _x_weight_plain(text[pos:start]) + URL_WEIGHT
        pos = end
    return total + _x_weight_plain(text[pos:])


def mastodon_length(text: str) -> int:
    """Length as Mastodon counts it: graphemes, URLs as 23, remote mentions as local."""
    text = SCHEME_URL_RE.sub("x" * URL_WEIGHT, text)
    text = MASTODON_MENTION_RE.sub(lambda m: "@" + m.group(1), text)
    return graphemes(text)


def count(network: str, text: str) -> int:
    if network == "x":
        return x_weighted_length(text)
    if network == "mastodon":
        return mastodon_length(text)
    if network == "bluesky":
        return graphemes(text)
    return len(text)


def _how(network: str) -> str:
    return {
        "x": " (links count as 23, most emoji and CJK characters as 2)",
        "mastodon": " (links count as 23)",
        "bluesky": " (each emoji counts as 1)",
    }.get(network, "")


def check(
    network: str, text: str, media_count: int = 0, *, limit: int | None = None
) -> LimitResult:
    """Check ``text`` and the number of images against ``network``'s rules.

    ``limit`` overrides the default (e.g. a Mastodon instance with a higher
    limit). Networks without a text limit (webhook, email) always pass.
    """
    name = NAMES.get(network, network)
    limit = limit if limit is not None else TEXT_LIMITS.get(network)
    n = count(network, text)
    problems: list[str] = []
    if limit is not None and n > limit:
        problems.append(
            f"{name} allows {limit} characters{_how(network)}; this has {n}. Remove {n - limit}."
        )
    if network == "bluesky" and len(text.encode("utf-8")) > BLUESKY_MAX_BYTES:
        problems.append(f"Bluesky allows {BLUESKY_MAX_BYTES} bytes of text; shorten the post.")
    if network == "instagram":
        if media_count < 1:
            problems.append("Instagram needs an image: add one to publish there.")
        tags = len(HASHTAG_RE.findall(text))
        if tags > INSTAGRAM_MAX_HASHTAGS:
            problems.append(f"Instagram allows {INSTAGRAM_MAX_HASHTAGS} hashtags; this has {tags}.")
        mentions = len(MENTION_RE.findall(text))
        if mentions > INSTAGRAM_MAX_MENTIONS:
            problems.append(
                f"Instagram allows {INSTAGRAM_MAX_MENTIONS} @mentions; this has {mentions}."
            )
    max_media = MAX_MEDIA.get(network)
    if max_media is not None and media_count > max_media:
        problems.append(f"{name} allows {max_media} images; this has {media_count}.")
    if (
        network in ("x", "bluesky", "mastodon", "linkedin", "gbp", "facebook")
        and not text.strip()
        and media_count == 0
    ):
        problems.append(f"{name} needs some text.")
    if problems:
        return LimitResult(n, limit, False, " ".join(problems))
    message = f"{n}/{limit}" if limit is not None else f"{n} characters"
    return LimitResult(n, limit, True, message)
