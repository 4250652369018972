"""Context validation, consents and the reply rule."""

from __future__ import annotations

import pytest
from compliance_engine_helpers import spans

from bedside.compliance.engine import Context, ContextError, scan

CONSENT = {"name": "Luis Ortega", "covers": ["name", "story"], "channels": ["facebook"]}


def test_consent_for_this_channel_turns_the_name_into_info() -> None:
    # given a consent covering Luis's name on facebook
    ctx = {"consents": [CONSENT], "channel": "facebook"}
    # when a facebook post names him
    report = scan("Meet Luis Ortega! His story is inspiring.", kind="post", context=ctx)
    # then the name is an info note naming the consent, and the verdict is pass
    assert report.verdict == "pass"
    assert [(f.category, f.severity) for f in report.findings] == [("name", "info")]
    assert "Luis Ortega" in report.findings[0].explanation


def test_consent_for_another_channel_does_not_apply() -> None:
    ctx = {"consents": [CONSENT], "channel": "instagram"}
    assert scan("Meet Luis Ortega!", kind="post", context=ctx).verdict == "block"


def test_consent_without_name_coverage_does_not_apply() -> None:
    ctx = {"consents": [{"name": "Luis Ortega", "covers": ["photo"], "channels": []}]}
    assert scan("Meet Luis Ortega!", kind="post", context=ctx).verdict == "block"


def test_consent_with_no_channels_covers_every_channel() -> None:
    ctx = {"consents": [{"name": "Dana Whitfield", "covers": ["name"], "channels": []}]}
    assert scan("Dana Whitfield is back on the court!", kind="post", context=ctx).verdict == "pass"


def test_story_consent_turns_the_care_phrase_into_info() -> None:
    ctx = {"consents": [CONSENT], "channel": "facebook"}
    report = scan("Luis Ortega finished his braces treatment with us!", kind="post", context=ctx)
    assert report.verdict == "pass"
    assert {f.severity for f in report.findings} == {"info"}


@pytest.mark.parametrize("kind", ["review_reply", "comment_reply"])
def test_reply_disclosure_blocks_without_a_name(kind: str) -> None:
    # given no name at all, a reply that confirms care blocks: the author is public
    assert spans("Sorry the extraction hurt.", kind=kind) == [
        ("Sorry the extraction hurt", "patient_relationship", "block")
    ]


def test_same_disclosure_in_a_post_without_identifier_only_warns() -> None:
    assert spans("Sorry the extraction hurt.", kind="post") == [
        ("Sorry the extraction", "patient_relationship", "warn")
    ]


def test_thank_you_for_your_visit_blocks_in_a_review_reply() -> None:
    assert scan("Thank you for your visit!", kind="review_reply").verdict == "block"


def test_safe_reply_passes() -> None:
    text = "Thank you for the feedback. We can't discuss anyone's care online; please call (512) 555-0142."
    assert (
        scan(text, kind="review_reply", context={"practice_phone": "(512) 555-0142"}).verdict
        == "pass"
    )


def test_relationship_suggestion_offers_the_safe_reply_with_the_practice_phone() -> None:
    report = scan(
        "Your lab results are in.",
        kind="review_reply",
        context={"practice_phone": "(512) 555-0142"},
    )
    assert report.findings[0].suggestion == (
        "We can't discuss anyone's care online; please contact our office directly at (512) 555-0142."
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"staff": "Dr. Raman"}, "staff"),
        ({"staff": ["Dr. Raman", 7]}, "staff[1]"),
        ({"practice_phone": 5125550142}, "practice_phone"),
        ({"practice_name": ["Raman"]}, "practice_name"),
        ({"consents": {"name": "Luis"}}, "consents"),
        ({"consents": [{"covers": ["name"]}]}, "consents[0].name"),
        ({"consents": [{"name": "Luis", "covers": "name"}]}, "consents[0].covers"),
        ({"consents": [{"name": "Luis", "covers": ["face"]}]}, "consents[0].covers"),
        (
            {"consents": [{"name": "Luis", "covers": ["name"], "channels": [1]}]},
            "consents[0].channels[0]",
        ),
        ({"channel": 3}, "channel"),
    ],
)
def test_context_with_wrong_types_raises_context_error_naming_the_field(
    data: dict, field: str
) -> None:
    with pytest.raises(ContextError) as err:
        scan("hello", kind="post", context=data)
    assert err.value.field == field
    assert isinstance(err.value, ValueError)
    assert str(err.value).startswith(f"context.{field}:")


def test_context_that_is_not_an_object_is_rejected() -> None:
    with pytest.raises(ContextError):
        Context.from_dict(["not", "an", "object"])  # type: ignore[arg-type]


def test_unknown_kind_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        scan("hello", kind="tweet")


def test_report_to_dict_shape() -> None:
    report = scan("Call 737-555-0188", kind="post")
    assert report.to_dict() == {
        "verdict": "block",
        "findings": [
            {
                "start": 5,
                "end": 17,
                "category": "phone",
                "severity": "block",
                "explanation": "A phone number that is not the practice's.",
                "suggestion": "[phone removed]",
            }
        ],
    }
