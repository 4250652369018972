"""Lexicon sentiment on real-looking healthcare posts, with exact labels."""

import pytest

from bedside.listening.sentiment import analyze, default_lexicon, label, parse_lexicon

CASES = [
    ("The receptionist was so rude 😡", "negative"),
    ("Rude receptionist. Will not be back.", "negative"),
    ("Waited two hours past my appointment time", "negative"),
    ("We waited over an hour in the lobby", "negative"),
    ("Sat there for 45 minutes and nobody came", "negative"),
    ("Waited 10 minutes, not bad", "positive"),
    ("Wonderful doctor, took the time to explain everything", "positive"),
    ("Dr. Patel is wonderful with kids ❤️", "positive"),
    ("Highly recommend Dr. Smith!!", "positive"),
    ("I would not recommend this clinic to anyone", "negative"),
    ("Not good. Not good at all.", "negative"),
    ("The nurse was not very friendly", "negative"),
    ("Dr Jones didn't listen to anything I said", "negative"),
    ("Dr Jones didn’t listen to anything I said", "negative"),  # curly apostrophe
    ("They never called back. Third time this week.", "negative"),
    ("Billing nightmare, got a surprise bill for $900", "negative"),
    ("Front desk was super helpful and the office is spotless", "positive"),
    ("No wait at all, in and out in 20 minutes", "positive"),
    ("Staff was friendly but the doctor seemed rushed", "negative"),
    ("The doctor seemed rushed but the staff were lovely", "positive"),
    ("Got my flu shot at Mercy Clinic today", "neutral"),
    ("Does anyone know if Dr. Smith accepts Aetna?", "neutral"),
    ("Appointment moved to Tuesday 3pm", "neutral"),
    ("Knee pain is finally gone thanks to Dr. Lee 🙏", "positive"),
    ("Worst experience ever. Stay away.", "negative"),
    ("not bad at all", "positive"),
    ("5 stars, would come again", "positive"),
    ("One star. Lost my records twice.", "negative"),
    ("The staff is GREAT", "positive"),
    ("I HATE WAITING ROOMS", "negative"),
    ("It was ok", "neutral"),
    ("Thank you to the whole team at Riverside Pediatrics!", "positive"),
    ("They saved my life. Forever grateful.", "positive"),
    ("Misdiagnosed for months, I'm so frustrated 😤", "negative"),
    ("Parking is impossible there :(", "negative"),
    ("", "neutral"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_labels_of_real_looking_posts(text, expected):
    assert label(text) == expected


def test_negation_flips_and_damps():
    good = analyze("the visit was good").score
    not_good = analyze("the visit was not good").score

    assert good > 0.2
    assert not_good < -0.2
    assert abs(not_good) < abs(good)


def test_negation_reaches_three_tokens_only():
    assert label("not a very good visit") == "negative"
    assert label("not that I mind, the visit was good") == "positive"


def test_boosters_and_capitals_intensify():
    plain = analyze("the staff was helpful").score
    boosted = analyze("the staff was extremely helpful").score
    shouted = analyze("the staff was HELPFUL").score
    softened = analyze("the staff was slightly helpful").score

    assert softened < plain < boosted
    assert plain < shouted


def test_exclamation_marks_push_away_from_zero():
    assert analyze("great visit!!!").score > analyze("great visit").score
    assert analyze("awful visit!!!").score < analyze("awful visit").score
    assert analyze("appointment at 3!!!").score == 0.0


def test_score_is_bounded():
    text = "worst " * 200
    assert analyze(text).score >= -1.0
    assert analyze("best " * 200).score <= 1.0


def test_lexicon_ships_with_the_package():
    lexicon = default_lexicon()

    assert lexicon.words["rude"] == -2.9
    assert lexicon.boosters["very"] == 1.3
    assert "didn't" in lexicon.negators
    assert (("never", "called", "back"), -2.6) in lexicon.phrases["never"]


def test_custom_lexicon():
    lexicon = parse_lexicon("# comment\nstellar\t3\tv\nkinda\t0.5\tb\nnah\t0\tn\n")

    assert analyze("stellar", lexicon).label == "positive"
    assert analyze("nah stellar", lexicon).label == "negative"
    assert analyze("rude", lexicon).label == "neutral"


def test_bad_lexicon_lines_are_reported():
    with pytest.raises(ValueError, match="line 2"):
        parse_lexicon("ok\t1\tv\nbroken line\n")
    with pytest.raises(ValueError, match="unknown kind"):
        parse_lexicon("ok\t1\tx\n")
