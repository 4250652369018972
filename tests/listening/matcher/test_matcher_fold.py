"""Folding rules and their properties (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.listening.matcher import MonitorSpec, build_matcher, fold
from bedside.listening.matcher.normalize import SEP, fold_batch, fold_phrases, token_spans


def test_fold_examples():
    assert fold("Café Clínica") == " cafe clinica "
    assert fold("Dr. Smith's office!") == " dr smith s office "
    assert fold("#FluShot @DrSmith") == " flushot drsmith "
    assert fold("flu-shot 😷 — ok") == " flu shot ok "
    assert fold("Straße ﬁ") == " strasse fi "
    assert fold("") == " "


def test_token_spans_examples():
    text = "(Dr.) Smith's — ½"
    assert token_spans(text) == [(1, 3), (6, 11), (12, 13), (16, 17), (16, 17)]
    assert token_spans("") == []


WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéÉñçüÅ0123456789",
    min_size=1,
    max_size=8,
)
PHRASE = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(
    before=st.text(max_size=60),
    phrase=PHRASE,
    after=st.text(max_size=60),
    sep=st.sampled_from([" ", "\n", " - ", ", ", " 😷 "]),
)
def test_phrase_inserted_at_word_boundaries_is_always_found(before, phrase, after, sep):
    matcher = build_matcher([MonitorSpec(1, 1, [phrase])])
    text = before + sep + phrase + sep + after
    start = len(before) + len(sep)

    matches = matcher.match(text)

    assert (start, start + len(phrase)) in [(m.start, m.end) for m in matches]
    assert all(fold(text[m.start : m.end]) == fold(phrase) for m in matches)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.text(max_size=40), max_size=6))
def test_batch_fold_equals_per_text_fold(texts):
    data = fold_batch(texts)

    assert (data.split(SEP) if texts else []) == [
        fold(t.replace("\x00", " ")).encode() for t in texts
    ]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_token_spans_cover_the_folded_tokens(text):
    tokens = fold(text).split()

    spans = token_spans(text)

    assert len(spans) == len(tokens)
    for (start, end), token in zip(spans, tokens, strict=True):
        assert token in fold(text[start:end]).split() or fold(text[start:end]).strip() == token


VOCAB = ["dr", "smith", "flu", "shot", "café", "clinic", "the", "ok", "mri", "ENT", "Niño"]
SEPS = [" ", "  ", "\n\n", " - ", ", ", "... ", " 😷 ", "—", "'", "#", " — ", "(", ") "]


def reference_matches(text, phrases):
    """Slow and obvious: search each folded phrase in the folded text."""
    folded = fold(text.replace("\x00", " "))
    spans = token_spans(text.replace("\x00", " "))
    found = set()
    for phrase in phrases:
        pattern = fold(phrase)
        if not pattern.strip():
            continue
        at = folded.find(pattern)
        while at >= 0:
            first = folded.count(" ", 0, at + 1) - 1
            last = first + pattern.strip().count(" ")
            found.add((phrase, spans[first][0], spans[last][1]))
            at = folded.find(pattern, at + 1)
    return found


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(
        st.lists(st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPS)), max_size=12).map(
            lambda parts: "".join(w + s for w, s in parts)
        ),
        min_size=1,
        max_size=8,
    ),
    phrases=st.lists(
        st.lists(st.sampled_from(VOCAB), min_size=1, max_size=3).map(" ".join),
        min_size=1,
        max_size=5,
        unique=True,
    ),
)
def test_batch_matching_equals_the_slow_reference(texts, phrases):
    matcher = build_matcher([MonitorSpec(1, i, [p]) for i, p in enumerate(phrases)])

    results = matcher.match_many(texts)

    for text, matches in zip(texts, results, strict=True):
        got = {(m.phrase, m.start, m.end) for m in matches}
        assert got == reference_matches(text, phrases), text
        assert len(matches) == len(got)


def test_lone_surrogates_do_not_break_matching():
    matcher = build_matcher([MonitorSpec(1, 1, ["dr smith"])])

    assert [(m.start, m.end) for m in matcher.match("\ud800 dr smith \udfff")] == [(2, 10)]


@settings(max_examples=200, deadline=None)
@given(phrases=st.lists(st.text(max_size=30), max_size=10))
def test_batch_phrase_fold_equals_one_by_one(phrases):
    assert fold_phrases(phrases) == [
        fold(p.replace("\x00", " ")).encode() if fold(p.replace("\x00", " ")).strip() else b""
        for p in phrases
    ]
