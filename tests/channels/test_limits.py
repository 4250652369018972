import pytest

from bedside.channels.limits import check, count, find_urls, graphemes, x_weighted_length

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # ZWJ sequence: 7 code points, 1 grapheme
FLAG = "🇺🇸"
THUMB = "👍🏽"  # with skin tone modifier
KEYCAP = "1️⃣"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        ("a" * 280, 280),
        ("日本語", 6),  # CJK weighs 2
        (FAMILY, 2),  # an emoji sequence weighs 2 in total
        (FLAG + THUMB + KEYCAP, 6),
        ("café", 4),
        ("cafe\u0301", 4),  # NFC first: é is one code point
        ("“quotes” — dash…", 17),  # U+2010..201F are light; U+2026 (…) is not
        ("Read https://www.cdc.gov/flu/index.html now", 5 + 23 + 4),
        ("See cdc.gov and who.int", 4 + 23 + 5 + 23),
        ("example.de alone is not a link", 30),
        ("Σ Ω Я", 5),  # below U+10FF: light
        ("𝐁", 2),  # astral non-emoji: 2
    ],
)
def test_x_weighted_length(text, expected):
    assert x_weighted_length(text) == expected


def test_x_limit_boundary():
    assert check("x", "a" * 280).ok is True
    over = check("x", "a" * 270 + "日本語日本")  # 270 + 10
    assert (over.count, over.limit, over.ok) == (280, 280, True)
    res = check("x", "a" * 270 + "日本語日本語")
    assert (res.count, res.ok) == (282, False)
    assert "X allows 280 characters" in res.message and "Remove 2" in res.message


def test_x_url_counts_23_whatever_its_length():
    long_url = "https://example.com/" + "p" * 300
    assert x_weighted_length(long_url) == 23
    assert check("x", "x" * 256 + " " + long_url).ok is True  # 257 + 23 = 280
    assert check("x", "x" * 257 + " " + long_url).count == 281


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello", 5),
        (FAMILY, 1),
        (FLAG + THUMB + KEYCAP, 3),
        ("cafe\u0301", 4),
        ("한국어", 3),
        ("https://example.com/a-long-path", 31),  # Bluesky counts links in full
    ],
)
def test_bluesky_graphemes(text, expected):
    assert count("bluesky", text) == expected == graphemes(text)


def test_bluesky_limit_and_bytes():
    res = check("bluesky", FAMILY * 300)  # 300 graphemes but 7,500 bytes
    assert (res.count, res.ok) == (300, False)
    assert res.message.startswith("Bluesky allows 3000 bytes")
    assert check("bluesky", "é" * 300).ok is True
    res = check("bluesky", "é" * 301)
    assert (res.count, res.limit, res.ok) == (301, 300, False)


def test_mastodon_counts_urls_as_23_and_remote_mentions_locally():
    assert count("mastodon", "https://example.com/" + "x" * 100) == 23
    assert count("mastodon", "@alice@mastodon.social hi") == len("@alice hi")
    assert count("mastodon", "cdc.gov") == 7  # Mastodon only shortens scheme URLs
    assert count("mastodon", FAMILY + " ok") == 4
    assert check("mastodon", "a" * 500).ok and not check("mastodon", "a" * 501).ok
    assert check("mastodon", "a" * 600, limit=1000).ok  # instance-specific limit


@pytest.mark.parametrize(
    ("network", "limit"),
    [("linkedin", 3000), ("facebook", 63206), ("gbp", 1500), ("instagram", 2200)],
)
def test_code_point_limits(network, limit):
    media = 1
    assert check(network, "a" * limit, media).ok is True
    res = check(network, "a" * (limit + 1), media)
    assert (res.count, res.limit, res.ok) == (limit + 1, limit, False)


def test_instagram_requires_an_image_and_limits_tags():
    res = check("instagram", "Hello")
    assert not res.ok and "Instagram needs an image" in res.message
    tags = " ".join(f"#t{i}" for i in range(31))
    assert "30 hashtags; this has 31" in check("instagram", tags, 1).message
    mentions = " ".join(f"@u{i}" for i in range(21))
    assert "20 @mentions; this has 21" in check("instagram", mentions, 1).message


def test_media_count_limits():
    assert not check("x", "hi", 5).ok
    assert check("x", "hi", 4).ok


def test_webhook_and_email_have_no_text_limit():
    res = check("webhook", "a" * 100000)
    assert res.ok and res.limit is None


def test_find_urls_trims_trailing_punctuation():
    text = "See (https://example.com/a). Or medlineplus.gov."
    assert [text[s:e] for s, e in find_urls(text)] == ["https://example.com/a", "medlineplus.gov"]
