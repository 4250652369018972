"""Folding rules and their properties (hypothesis)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.listening.matcher import MonitorSpec, build_matcher, fold
from bedside.listening.matcher.normalize import SEP, fold_batch, token_spans


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
