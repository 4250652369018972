"""Each Safe Harbor category: a positive case and a hard negative."""

from __future__ import annotations

import pytest
from compliance_engine_helpers import spans

from bedside.compliance.engine import Context

POSITIVES = [
    # (text, kind, expected span, category)
    ("Congrats to Maria Lopez on her new smile!", "post", "Maria Lopez", "name"),
    ("Maria was born March 3, 2019 and came in today.", "post", "March 3, 2019", "date"),
    ("Our oldest patient just turned 94!", "post", "turned 94", "age_over_89"),
    ("Her cell is 737-555-0188 if you need her.", "post", "737-555-0188", "phone"),
    ("Records faxed to fax 425-555-0163 for him.", "post", "425-555-0163", "fax"),
    ("We emailed kelly.b.1988@gmail.com about it.", "post", "kelly.b.1988@gmail.com", "email"),
    ("They asked for my SSN 412-68-0093 on the form.", "community_post", "412-68-0093", "ssn"),
    ("Chart for MRN 00482913 was misfiled.", "post", "00482913", "mrn"),
    ("Your member ID XJH882104417 was entered.", "post", "XJH882104417", "health_plan_id"),
    ("Your account #55102938 shows a zero balance.", "post", "55102938", "account_number"),
    (
        "My driver's license WDL8812AB was in my wallet.",
        "community_post",
        "WDL8812AB",
        "license_number",
    ),
    ("The blue Honda, plate 7KRT219, has its lights on.", "post", "7KRT219", "vehicle_id"),
    ("Found a hearing aid, serial number HA-771203.", "post", "HA-771203", "device_id"),
    (
        "Please support https://www.gofundme.com/f/help-carlos-heal today.",
        "post",
        "https://www.gofundme.com/f/help-carlos-heal",
        "url",
    ),
    ("The login came from 73.201.44.19 last night.", "post", "73.201.44.19", "ip_address"),
    ("We stored his fingerprint for the kiosk.", "post", "his fingerprint", "biometric"),
    ("Carl lives at 4417 Fremont Ave N near the lake.", "post", "4417 Fremont Ave N", "geo"),
    ("My case number is 88120394, can billing look?", "community_post", "88120394", "other_id"),
    (
        "So glad the new meds are working!",
        "post",
        "glad the new meds are working",
        "patient_relationship",
    ),
]


@pytest.mark.parametrize(("text", "kind", "expected", "category"), POSITIVES)
def test_category_is_found(text: str, kind: str, expected: str, category: str) -> None:
    # given a text carrying one identifier, when scanned, then a finding covers it
    found = spans(text, kind=kind)
    assert (expected, category) in [(s, c) for s, c, _ in found], found


NEGATIVES = [
    # (text, kind): the practice's own facts and ordinary words; nothing to find
    ("Call us at (512) 555-0142 or book at ramanfamilydental.com.", "post"),
    ("Find us at 4100 Burnet Road, Suite 200, Austin, TX 78756.", "post"),
    ("We're closed Nov 27 for Thanksgiving and reopen Nov 28.", "post"),
    ("Kids should see a dentist by age 1. Our practice is 25 years old.", "post"),
    ("Poison control: 1-800-222-1222. Save it in your phone.", "post"),
    ("Use your dental benefits before Dec 31!", "post"),
    ("Proudly serving families across Texas and the Pacific Northwest.", "post"),
    ("Read the CDC's guidance at https://www.cdc.gov/mentalhealth.", "post"),
    ("Our new building uses fingerprint entry for staff only.", "post"),
    ("Prices start at $45; 20% off in May. Room 4 is ready.", "post"),
    ("Version 2.4.1 of our app fixes the portal login bug.", "post"),
    ("Flossing once a day removes plaque your brush can't reach.", "post"),
    ("Serena Williams talked about her blood clots this week.", "post"),
    ("Email us anytime: hello@ramanfamilydental.com", "post"),
]


@pytest.mark.parametrize(("text", "kind"), NEGATIVES)
def test_hard_negative_passes(text: str, kind: str, raman: Context) -> None:
    # given a text made only of the practice's own facts or general information
    # when scanned with the practice's context, then it passes with no findings
    assert spans(text, kind=kind, context=raman) == []


def test_state_is_fine_but_street_is_not(raman: Context) -> None:
    assert spans("We now serve families across Ohio.", context=raman) == []
    assert spans("She lives at 12 Oak Street.", context=raman) == [
        ("12 Oak Street", "geo", "block")
    ]


def test_practice_phone_is_fine_but_another_phone_is_not(raman: Context) -> None:
    assert spans("Call (512) 555-0142.", context=raman) == []
    assert spans("Call (512) 555-0199.", context=raman)[0][1:] == ("phone", "block")


def test_office_closure_date_is_fine_but_visit_date_is_not(raman: Context) -> None:
    assert spans("We're closed Nov 27 for Thanksgiving.", context=raman) == []
    found = spans(
        "We're sorry your visit on October 12 went badly.", kind="review_reply", context=raman
    )
    assert ("October 12", "date", "block") in found


@pytest.mark.parametrize(
    "text",
    [
        "She turned 94 last week.",
        "our 101-year-old patient",
        "her 92nd birthday",
        "At ninety-six, he still flosses.",
    ],
)
def test_ages_over_89_in_any_phrasing(text: str) -> None:
    assert [c for _, c, _ in spans(text)].count("age_over_89") == 1


def test_relative_date_next_to_care_is_a_date() -> None:
    found = spans("Hope you're feeling good after yesterday's colonoscopy!")
    assert ("yesterday's", "date", "block") in found


def test_age_under_90_is_fine() -> None:
    assert spans("She turned 80 and loves gardening.") == []


def test_labelled_ids_with_a_clause_between_label_and_value() -> None:
    for text, value, category in [
        ("The prior auth number for my son's braces is PA-77120458.", "PA-77120458", "other_id"),
        ("My plate is BVR 9902; someone scraped my car.", "BVR 9902", "vehicle_id"),
        ("A Washington driver's license, number WDL0K4P22ZB.", "WDL0K4P22ZB", "license_number"),
    ]:
        assert (value, category, "block") in spans(text, kind="community_post"), text


def test_personal_blog_subdomain_is_a_personal_url() -> None:
    text = "My blog: https://notes-from-aidens-mom.blogspot.com. Maybe it helps."
    assert ("https://notes-from-aidens-mom.blogspot.com", "url", "block") in spans(text)


@pytest.mark.parametrize(
    ("text", "kind", "date"),
    [
        ("Your 2 pm with Tara on Thursday is still on the books.", "review_reply", "Thursday"),
        ("Looking strong! Your gait has come so far since March.", "comment_reply", "since March"),
        ("Your no-show on the 3rd was charged per our policy.", "review_reply", "the 3rd"),
        ("Marguerite celebrated 98 years yesterday by walking with her PT.", "post", "yesterday"),
    ],
)
def test_dates_that_place_one_persons_care(text: str, kind: str, date: str) -> None:
    assert any(date in s for s, c, _ in spans(text, kind=kind) if c == "date"), spans(
        text, kind=kind
    )


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("We've loved seeing your smiles since 2012!", "post"),  # a year alone is allowed
        ("Our Monday grief circle welcomes new members.", "post"),  # a weekly event
        ("Thank you! Have a great Friday.", "review_reply"),  # a greeting
        ("Book by Dec 31 to use your benefits.", "comment_reply"),  # a deadline
        ("Our office is closed Monday for the holiday. Stay safe and see you Tuesday!", "post"),
    ],
)
def test_dates_that_are_not_a_persons(text: str, kind: str) -> None:
    assert [c for _, c, _ in spans(text, kind=kind) if c == "date"] == []
