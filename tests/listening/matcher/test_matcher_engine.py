"""The matcher: whole words, folding, offsets, hashtags, exclusions, batches."""

import pytest

from bedside.listening.matcher import BATCH, Match, MonitorSpec, build_matcher


def spans(matcher, text):
    return [(m.monitor_id, m.phrase, text[m.start : m.end]) for m in matcher.match(text)]


def test_whole_words_only():
    matcher = build_matcher([MonitorSpec(1, 10, ["ortho"]), MonitorSpec(1, 11, ["orthodontist"])])

    assert spans(matcher, "Best orthodontist in town") == [(11, "orthodontist", "orthodontist")]
    assert spans(matcher, "ortho appointment") == [(10, "ortho", "ortho")]
    assert spans(matcher, "my orthos") == []
    assert spans(matcher, "neuro-ortho team") == [(10, "ortho", "ortho")]
    assert spans(matcher, "ORTHO_TEAM") == []  # "_" is a word character


def test_multiword_phrase_across_punctuation_and_whitespace():
    matcher = build_matcher([MonitorSpec(1, 1, ["Dr. Smith"]), MonitorSpec(1, 2, ["flu shot"])])

    assert spans(matcher, "saw dr smith today") == [(1, "Dr. Smith", "dr smith")]
    assert spans(matcher, "Dr.  SMITH, again") == [(1, "Dr. Smith", "Dr.  SMITH")]
    assert spans(matcher, "(Dr.\n\tSmith)") == [(1, "Dr. Smith", "Dr.\n\tSmith")]
    assert spans(matcher, "Dr. Smith's office") == [(1, "Dr. Smith", "Dr. Smith")]
    assert spans(matcher, "got my flu-shot") == [(2, "flu shot", "flu-shot")]
    assert spans(matcher, "flu - shot") == [(2, "flu shot", "flu - shot")]
    assert spans(matcher, "flu... shot!") == [(2, "flu shot", "flu... shot")]
    assert spans(matcher, "flu shots") == []
    assert spans(matcher, "dr smithson") == []


def test_case_and_accent_insensitive_with_offsets_in_the_original():
    matcher = build_matcher([MonitorSpec(1, 1, ["Café Clínica"])])

    for text, expected in [
        ("I love cafe clinica", (7, 19)),
        ("CAFÉ CLÍNICA!", (0, 12)),
        ("Cafe\u0301 Cli\u0301nica rocks", (0, 14)),  # decomposed accents: longer text
        ("😷😷 Straße — ﬁne: café clínica", (17, 29)),
    ]:
        [match] = matcher.match(text)
        assert (match.start, match.end) == expected, text
        assert match == Match(1, 1, "Café Clínica", *expected)


def test_phrase_with_accents_matches_plain_text_and_the_reverse():
    matcher = build_matcher([MonitorSpec(1, 1, ["clinica"]), MonitorSpec(1, 2, ["Niño"])])

    assert spans(matcher, "la Clínica") == [(1, "clinica", "Clínica")]
    assert spans(matcher, "el NINO") == [(2, "Niño", "NINO")]


def test_hashtags_and_handles():
    matcher = build_matcher(
        [
            MonitorSpec(1, 1, ["#flushot"]),
            MonitorSpec(1, 2, ["@DrSmith"]),
            MonitorSpec(1, 3, ["flushot"]),
        ]
    )

    assert spans(matcher, "Got my #FluShot today") == [
        (1, "#flushot", "#FluShot"),
        (3, "flushot", "FluShot"),
    ]
    assert spans(matcher, "thanks @drsmith!") == [(2, "@DrSmith", "@drsmith")]
    assert spans(matcher, "#flushots") == []
    assert spans(matcher, "#flu #shot") == []


def test_exclusion_removes_only_its_monitor():
    matcher = build_matcher(
        [
            MonitorSpec(1, 1, ["mercy hospital"], exclude=["mercy hospital parking"]),
            MonitorSpec(2, 5, ["mercy hospital"]),
        ]
    )

    text = "Mercy Hospital parking is a nightmare"
    assert [(m.practice_id, m.monitor_id) for m in matcher.match(text)] == [(2, 5)]
    assert [(m.practice_id, m.monitor_id) for m in matcher.match("Mercy Hospital was great")] == [
        (1, 1),
        (2, 5),
    ]


def test_exclusion_anywhere_in_the_post_counts():
    matcher = build_matcher([MonitorSpec(1, 1, ["smith clinic"], exclude=["#ad"])])

    assert matcher.match("Smith Clinic is hiring #ad") == []
    assert len(matcher.match("Smith Clinic is hiring")) == 1


def test_practices_sharing_a_phrase_are_all_reported():
    matcher = build_matcher([MonitorSpec(p, p * 10, ["flu shot"]) for p in (3, 1, 2)])

    assert matcher.match("flu shot clinic") == [
        Match(1, 10, "flu shot", 0, 8),
        Match(2, 20, "flu shot", 0, 8),
        Match(3, 30, "flu shot", 0, 8),
    ]
    assert matcher.report.patterns == 1


def test_overlapping_phrases_are_all_reported():
    matcher = build_matcher([MonitorSpec(1, 1, ["dr smith", "smith clinic", "smith"])])

    assert spans(matcher, "dr smith clinic") == [
        (1, "dr smith", "dr smith"),
        (1, "smith", "smith"),
        (1, "smith clinic", "smith clinic"),
    ]


def test_every_occurrence_is_reported():
    matcher = build_matcher([MonitorSpec(1, 1, ["mri"])])

    assert [(m.start, m.end) for m in matcher.match("MRI, then another mri")] == [(0, 3), (18, 21)]


def test_same_phrase_twice_in_a_monitor_reports_once():
    matcher = build_matcher([MonitorSpec(1, 1, ["Dr. Smith", "dr smith"])])

    assert spans(matcher, "dr smith") == [(1, "Dr. Smith", "dr smith")]


def test_empty_pattern_set():
    matcher = build_matcher([])

    assert matcher.match("anything at all") == []
    assert matcher.match_many(["a", "b"]) == [[], []]
    assert matcher.match_sparse(["a"]) == {}
    assert matcher.report.patterns == 0


def test_phrases_that_fold_to_nothing_are_skipped_and_reported():
    matcher = build_matcher([MonitorSpec(1, 1, ["!!!", "  ", "ok"])])

    assert matcher.report.skipped == ((1, 1, "!!!"), (1, 1, "  "))
    assert matcher.report.patterns == 1
    assert spans(matcher, "!!! ok") == [(1, "ok", "ok")]


def test_empty_and_punctuation_only_texts():
    matcher = build_matcher([MonitorSpec(1, 1, ["ok"])])

    assert matcher.match_many(["", " ", "!!!", "\x00", "ok"]) == [
        [],
        [],
        [],
        [],
        [Match(1, 1, "ok", 0, 2)],
    ]


def test_nul_characters_in_text_do_not_shift_posts():
    matcher = build_matcher([MonitorSpec(1, 1, ["smith"])])

    assert matcher.match_many(["a\x00b", "x\x00smith", "none"]) == [
        [],
        [Match(1, 1, "smith", 2, 7)],
        [],
    ]


def test_very_long_text():
    matcher = build_matcher([MonitorSpec(1, 1, ["dr smith"])])
    filler = "lorem ipsum dolor sit amet, 😷 café " * 30_000  # about 1 MB
    text = "Dr Smith " + filler + "DR. SMITH"

    matches = matcher.match(text)

    assert [(m.start, m.end) for m in matches] == [(0, 8), (len(text) - 9, len(text))]


def test_match_many_across_batch_boundaries():
    matcher = build_matcher([MonitorSpec(1, 1, ["flu shot"]), MonitorSpec(2, 2, ["Dr. Smith"])])
    texts = ["nothing here"] * (BATCH * 2 + 5)
    hits = {
        0: "flu shot",
        BATCH - 1: "dr  smith",
        BATCH: "flu shot",
        BATCH * 2 + 4: "Dr. Smith 😷 ",
    }
    for i, text in hits.items():
        texts[i] = f"so {text} ok" if i != BATCH * 2 + 4 else text

    sparse = matcher.match_sparse(texts)
    many = matcher.match_many(texts)

    assert sorted(sparse) == sorted(hits)
    assert [i for i, found in enumerate(many) if found] == sorted(hits)
    assert [m.monitor_id for m in sparse[BATCH - 1]] == [2]
    assert sparse[BATCH * 2 + 4] == [Match(2, 2, "Dr. Smith", 0, 9)]


def test_runs_of_spaces_hide_nothing_and_keep_offsets():
    matcher = build_matcher([MonitorSpec(1, 1, ["new patient", "dr smith"])])
    texts = [
        "welcome  new   patient",
        "😷 — new patient  !! dr smith",
        "  \n new\n\npatient ",
        "new patient 😷",
    ]

    found = matcher.match_many(texts)

    assert [[t[m.start : m.end] for m in ms] for t, ms in zip(texts, found, strict=True)] == [
        ["new   patient"],
        ["new patient", "dr smith"],
        ["new\n\npatient"],
        ["new patient"],
    ]


def test_match_is_match_many_of_one():
    matcher = build_matcher([MonitorSpec(4, 2, ["botox"])])

    assert (
        matcher.match("Botox!") == matcher.match_many(["Botox!"])[0] == [Match(4, 2, "botox", 0, 5)]
    )


def test_isolated_build_matches_like_an_in_process_build():
    specs = [
        MonitorSpec(1, 1, ["Café Clínica", "#flushot"], exclude=["closed"]),
        MonitorSpec(2, 2, ["flu shot"]),
    ]
    texts = ["cafe clinica #FluShot", "Café Clínica closed", "flu-shot day"]

    isolated = build_matcher(specs, isolated=True)

    assert isolated.match_many(texts) == build_matcher(specs).match_many(texts)
    assert [len(found) for found in isolated.match_many(texts)] == [2, 0, 1]


def test_a_bare_string_instead_of_a_list_is_refused():
    with pytest.raises(TypeError, match="monitor 3: phrases and exclude must be lists"):
        build_matcher([MonitorSpec(1, 3, "flu shot")])
