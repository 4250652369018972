"""Names in every written form; the practice's staff, including ordinary-word first names."""

from __future__ import annotations

import pytest
from compliance_engine_helpers import spans, verdict

from bedside.compliance.engine import Context, scan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("So proud of Mrs. Okafor for flossing!", "Mrs. Okafor"),
        ("Look who's smiling: little bea after her cleaning!", "bea"),
        ("Go #TeamMarisol! Six weeks post-op.", "#TeamMarisol"),
        ("Huge thanks to @dan_runs for the shoutout.", "@dan_runs"),
        ("R.T. in bay 3 asked for a second sticker.", "R.T."),
        ("shoutout to mrs okafor for the cookies", "mrs okafor"),
        ("maria lopez you rocked it today!", "maria lopez"),
        ("The Kowalski twins came in together.", "Kowalski"),
        ("Welcome our newest family, the Abernathys!", "Abernathys"),
    ],
)
def test_name_forms_are_found(text: str, expected: str, raman: Context) -> None:
    found = [(s, c) for s, c, _ in spans(text, context=raman)]
    assert (expected, "name") in found, found


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Raman and our hygienist Tara are ready for you!",
        "Say hello to Dr. Priya Raman, DDS, our founder.",
        "Will Brennan just celebrated ten years with us. Thank you, Will!",
        "Ask Grace about our new payment plans.",
        "Will you be in town over the holidays? We will have openings.",
        "Grace, strength and patience: the keys to recovery.",
        "Bill pay is now available online. Mark your calendars!",
        "May your holidays be merry! June is a great month for checkups.",
    ],
)
def test_staff_and_ordinary_words_are_not_names(text: str, raman: Context) -> None:
    assert spans(text, context=raman) == []


def test_staff_first_name_does_not_hide_another_persons_full_name(raman: Context) -> None:
    # given Grace Holloway on staff, when another Grace is named in full, then it is a name
    assert spans("Meet Grace Kim, who ran her first 5K!", context=raman)[0] == (
        "Grace Kim",
        "name",
        "block",
    )


def test_ordinary_word_name_with_a_cue_is_a_name(raman: Context) -> None:
    # "Hope" is not on Raman's staff; in a reply "Thank you Hope!" names the reviewer
    assert spans("Thank you Hope! We're happy you found us.", kind="review_reply", context=raman)[
        0
    ][:2] == (
        "Hope",
        "name",
    )


def test_staff_title_with_surname_is_fine_but_patient_title_is_not(raman: Context) -> None:
    assert spans("Dr. Raman will see you now.", context=raman) == []
    assert spans("Mrs. Okafor will see you now.", context=raman) == [
        ("Mrs. Okafor", "name", "block")
    ]


def test_clinician_not_on_staff_is_a_warning(raman: Context) -> None:
    assert spans("Dr. Patel referred a friend to us.", context=raman) == [
        ("Dr. Patel", "name", "warn")
    ]


def test_public_figure_in_the_news_is_fine(raman: Context) -> None:
    assert (
        verdict("Simone Biles opened up about mental health. Let's talk.", context=raman) == "pass"
    )
    assert verdict("President Biden signed a health law.", context=raman) == "pass"


def test_practice_handle_is_fine(raman: Context) -> None:
    assert spans("Follow us @ramanfamilydental for more tips!", context=raman) == []


def test_patients_own_first_name_in_their_community_post_is_fine(raman: Context) -> None:
    assert (
        verdict(
            "Hi, I'm Tasha. Three months in and I feel hopeful.",
            kind="community_post",
            context=raman,
        )
        == "pass"
    )


def test_chat_words_in_the_census_first_names_are_not_names():
    # "Ok" and "Ty" are rare given names in the census lists but, in chat, interjections.
    for text, kind in [
        ("Ok, see you then.", "message"),
        ("ok thanks", "comment_reply"),
        ("ty so much!", "post"),
    ]:
        report = scan(text, kind=kind, context={"practice_name": "Maple Family Clinic"})
        assert [f.category for f in report.findings] == [], text


def test_the_practice_name_is_allowed_even_when_it_looks_like_a_family():
    ctx = {"practice_name": "Maple Family Clinic", "staff": ["Dr. Priya Raman"]}
    for text in ("Come see us at Maple Family Clinic.", "maple family clinic is open late."):
        assert scan(text, kind="post", context=ctx).findings == (), text
    # outside the practice's name the same word is still a family
    report = scan("The Maple family came in for their checkups.", kind="post", context=ctx)
    assert [f.category for f in report.findings if f.category == "name"] == ["name"]


def test_names_of_todays_children_are_names():
    # The 1990 census lists predate most of a pediatric practice's patients.
    for text, name in [
        ("Liam was so brave today!", "Liam"),
        ("Stitches out and smiling, Mateo!", "Mateo"),
        ("Congrats Nevaeh on your last day!", "Nevaeh"),
        ("Jayden and Aaliyah got matching stickers.", "Jayden"),
    ]:
        found = [text[f.start : f.end] for f in scan(text, kind="post", context=None).findings]
        assert name in found, text


def test_places_that_are_also_given_names_need_a_cue():
    for text in (
        "Families from Brooklyn and Queens welcome.",
        "We visited Boston for a conference.",
        "Proudly serving Cedar Park.",
    ):
        assert scan(text, kind="post", context=None).findings == (), text
    report = scan("Happy birthday, little Brooklyn!", kind="post", context=None)
    assert "name" in [f.category for f in report.findings]


def test_ordinary_words_before_kids_and_place_lists_are_not_names():
    for text in (
        "Most kids can go back to school 24 hours after a fever breaks.",
        "My kids now fight over who goes first. Never thought I'd see the day!",
        "Now serving families in Franklin, Delaware and Licking counties.",
        "Running legend Bill Rodgers says the secret is showing up.",
    ):
        assert scan(text, kind="post", context=None).findings == (), text
    # a word-like first name with a care verb after it is still a name
    report = scan("Brandy was diagnosed with a cavity at 3.", kind="post", context=None)
    assert "name" in [f.category for f in report.findings]


def test_a_possessive_first_name_in_a_hashtag_is_a_name():
    report = scan(
        "#MaddiesMetalMouth is officially retired: braces off!", kind="post", context=None
    )
    assert [f.category for f in report.findings][:1] == ["name"]
