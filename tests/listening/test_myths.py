"""The built-in health myths, compiled into the same matcher as practice monitors."""

from urllib.parse import urlparse

from bedside.listening.matcher import MonitorSpec, build_matcher
from bedside.listening.myths import MYTHS, MYTHS_PRACTICE_ID, myth_for_match, myth_specs

TRUSTED = ("cdc.gov", "nih.gov", "who.int", "medlineplus.gov")


def test_about_fifty_myths_each_with_phrases_correction_and_trusted_source():
    assert 45 <= len(MYTHS) <= 60
    assert len({m.key for m in MYTHS}) == len(MYTHS)
    for myth in MYTHS:
        host = urlparse(myth.source).hostname or ""
        assert urlparse(myth.source).scheme == "https", myth.key
        assert host.endswith(TRUSTED), (myth.key, host)
        assert myth.phrases and all(p.strip() for p in myth.phrases), myth.key
        assert 20 <= len(myth.correction) <= 160, myth.key


def test_every_phrase_compiles_and_finds_itself():
    matcher = build_matcher(myth_specs())

    assert matcher.report.skipped == ()
    for myth in MYTHS:
        for phrase in myth.phrases:
            found = {myth_for_match(m).key for m in matcher.match(f"so, {phrase.upper()}!")}
            assert myth.key in found, phrase


def test_myths_and_practice_monitors_share_one_matcher():
    matcher = build_matcher([MonitorSpec(7, 70, ["Riverside Pediatrics"]), *myth_specs()])
    text = "Riverside Pediatrics says vaccines cause autism? No way, they said the opposite."

    matches = matcher.match(text)

    assert [(m.practice_id, m.monitor_id) for m in matches][0] == (7, 70)
    assert [myth_for_match(m).key if myth_for_match(m) else None for m in matches] == [
        None,
        "vaccines-autism",
    ]
    assert text[matches[1].start : matches[1].end] == "vaccines cause autism"


def test_real_looking_posts():
    matcher = build_matcher(myth_specs())
    cases = {
        "My aunt swears the flu shot gave me the flu last year 🙄": "flu-shot-gives-flu",
        "Pediatrician refused antibiotics for my cold?? ridiculous": "antibiotics-for-viruses",
        "Reminder: Vitamin C cures colds, skip the doctor": "vitamin-c-colds",
        "Tilt your head back for a nosebleed, works every time": "nosebleed-head-back",
        "we only use 10% of our brain, wake up people": "ten-percent-brain",
        "Organizing a chicken-pox party this weekend": "chickenpox-party",
    }
    for text, key in cases.items():
        assert {myth_for_match(m).key for m in matcher.match(text)} == {key}, text


def test_ordinary_health_posts_are_not_myths():
    matcher = build_matcher(myth_specs())

    for text in [
        "Got my flu shot today, arm is a little sore",
        "Autism awareness walk this Saturday at the park",
        "Dr. Lee prescribed antibiotics for my strep throat",
        "Vitamin D levels came back normal",
    ]:
        assert matcher.match(text) == [], text


def test_myth_monitors_are_reserved_ids():
    specs = myth_specs()

    assert {s.practice_id for s in specs} == {MYTHS_PRACTICE_ID}
    assert [s.monitor_id for s in specs] == list(range(-1, -len(MYTHS) - 1, -1))
    assert myth_for_match(build_matcher([MonitorSpec(0, 5, ["x"])]).match("x")[0]) is None
