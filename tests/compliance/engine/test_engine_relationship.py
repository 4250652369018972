"""Care disclosures (patient_relationship) in their general forms, each beside the
general advice or marketing that uses the same words and must stay quiet."""

from __future__ import annotations

import pytest
from compliance_engine_helpers import spans

from bedside.compliance.engine import Context

DISCLOSURES = [
    # (text, kind, context ref, a span the finding must cover)
    ("Big day for Lila: cast off and back to soccer!", "post", "osei", "cast off"),
    ("Owen's braces came off this morning and wow.", "post", "raman", "braces came off"),
    ("Stitches out and smiling, Mateo!", "post", "lakeside", "Stitches out"),
    ("Ms. Tran thanked everyone in her Tuesday group.", "post", "brightpath", "her Tuesday group"),
    ("See you at your evening support group!", "comment_reply", "brightpath", "your evening support group"),
    ("Sorry to the family whose appointment we moved.", "post", "osei", "family whose appointment"),
    ("Officer Diaz brought his twins in for their shots.", "post", "osei", "Officer Diaz"),
    # any care word in the sentence of a named person
    ("Lucas beat RSV and is back at daycare.", "post", "osei", "RSV"),
    ("Big hugs to the Garcia family as Sofia heads into surgery.", "post", "osei", "surgery"),
    ("Proud of Kayla for managing her type 1 diabetes at camp.", "post", "osei", "type 1 diabetes"),
    # in a reply the author is the patient: their own care, however it is put
    ("See you at your six-week check!", "review_reply", "lakeside", "six-week check"),
    ("We're thrilled with how your smile turned out.", "review_reply", "raman", "how your smile turned out"),
    ("Hope you're feeling better after the procedure.", "review_reply", "lakeside", "feeling better"),
    ("We looked into the charge and it should be fixed now.", "review_reply", "raman", "looked into the charge"),
    ("We'll have Dr. Raman call you about the sensitivity.", "review_reply", "raman", "call you about the sensitivity"),
    ("Glad to hear the sensitivity is gone!", "review_reply", "raman", "the sensitivity is gone"),
    ("We're so happy the implant healed well.", "review_reply", "raman", "the implant healed"),
    ("It was a pleasure having you in the chair.", "review_reply", "raman", "having you in"),
    ("We'll resend the statement to the address on file.", "review_reply", "raman", "on file"),
    ("Thanks for being with us for over ten years!", "review_reply", "osei", "being with us for"),
    ("Hope the kids enjoyed their visit.", "comment_reply", "osei", "their visit"),
    ("Congrats on finishing Invisalign!", "comment_reply", "raman", "finishing Invisalign"),
    ("Sorry you had to wait for the X-ray machine.", "review_reply", "raman", "had to wait"),
    ("Keep wearing those rubber bands!", "comment_reply", "raman", "rubber bands"),
    ("Sorry the numbing took so long to wear off.", "review_reply", "raman", "numbing took so long"),
    # any care term after "your", or after "the" in a sentence about this one person
    ("So sorry your partial is pinching again.", "review_reply", "raman", "your partial"),
    ("Relieved the croup is settling down!", "comment_reply", "osei", "the croup"),
    ("Your son's weight check looked great.", "comment_reply", "osei", "weight check"),
    ("Good news: the urine culture was negative.", "message", "osei", "the urine culture"),
    ("Thanks! Your 2 pm with Tara is still on the books.", "review_reply", "raman", "Your 2 pm"),
    ("Thanks for bringing the whole crew in for flu shots!", "review_reply", "osei", "in for flu shots"),
    ("We got your message about the swelling.", "comment_reply", "lakeside", "the swelling"),
    ("Proud of you for trying the exposure exercise.", "comment_reply", "brightpath", "exposure exercise"),
    ("We're honored you trusted us with your son's care.", "review_reply", "brightpath", "your son's care"),
    ("It was a pleasure treating your mom!", "review_reply", "lakeside", "treating your mom"),
    ("Welcome to the practice! We're so glad you chose us.", "review_reply", "raman", "Welcome to the practice"),
    ("We miss you too! You're due for a cleaning.", "comment_reply", "raman", "due for"),
    ("One of our asthma kiddos just made varsity soccer!", "post", "osei", "One of our asthma kiddos"),
    ("A client told us the skills group changed her life.", "post", "brightpath", "A client told"),
    ("The Nakamura family switched to us this spring!", "post", "raman", "switched to us"),
    ("Look at that grin! Jaylen is officially braces-free.", "post", "raman", "braces-free"),
]  # fmt: skip

QUIET = [
    # (text, kind, context ref): advice, events and staff; no care disclosure
    ("When the cast comes off, the skin may be dry for a week.", "post", "lakeside"),
    ("Braces off? Ask us about a retainer that fits your routine.", "post", "raman"),
    ("Our Tuesday group meets at 6 pm; new members welcome.", "post", "brightpath"),
    ("Parents whose kids need flu shots can walk in on Fridays.", "post", "osei"),
    ("Office Manager Hope Diaz will answer billing questions.", "post", "osei"),
    ("Ms. Diaz at the front desk can help with forms.", "post", "osei"),
    # replies that answer in general terms
    ("If the swelling gets worse after an extraction, call us.", "comment_reply", "raman"),
    ("Some soreness is normal for a day or two after a cleaning.", "comment_reply", "raman"),
    (
        "Great question! The numbing usually wears off in two to three hours.",
        "comment_reply",
        "raman",
    ),
    ("Yes, the new X-ray machine uses much less radiation.", "comment_reply", "raman"),
    ("Feel better soon to everyone fighting the flu this week!", "comment_reply", "osei"),
    ("The exam went digital this year: no more paper forms!", "comment_reply", "osei"),
    (
        "Our billing team can answer questions about charges at (512) 555-0142.",
        "comment_reply",
        "raman",
    ),
    (
        "Congrats on the new job, and thanks for the kind words about our team.",
        "review_reply",
        "raman",
    ),
    (
        "Thank you! We will share this with the team at BrightPath Counseling.",
        "review_reply",
        "brightpath",
    ),
    ("Yes, the grief group meets Tuesdays at 6.", "comment_reply", "brightpath"),
    ("The flu shot is available for everyone 6 months and up.", "comment_reply", "osei"),
    (
        "Whitening strips are safe for most adults, but skip them if your teeth are sensitive.",
        "comment_reply",
        "raman",
    ),
    ("Our team gives the best care in town, and we're proud of it.", "review_reply", "raman"),
    (
        "That's Grace! She's the one who hand-letters all our holiday cards.",
        "comment_reply",
        "raman",
    ),
    ("Yes, we're accepting new patients! Fill out the new-family form online.", "message", "osei"),
    ("Schedule your child's flu shot this week, walk-ins welcome.", "post", "osei"),
    ("We appreciate your patience while our phones were down last week.", "review_reply", "osei"),
    ("Every patient deserves a kind welcome.", "post", "raman"),
]


@pytest.mark.parametrize(("text", "kind", "ref", "expected"), DISCLOSURES)
def test_care_disclosure_is_found(
    text: str, kind: str, ref: str, expected: str, contexts: dict[str, Context]
) -> None:
    found = spans(text, kind=kind, context=contexts[ref])
    start = text.index(expected)
    assert any(
        text.find(s) <= start < text.find(s) + len(s)
        or start <= text.find(s) < start + len(expected)
        for s, _, _ in found
    ), found


@pytest.mark.parametrize(("text", "kind", "ref"), QUIET)
def test_advice_and_staff_stay_quiet(
    text: str, kind: str, ref: str, contexts: dict[str, Context]
) -> None:
    assert spans(text, kind=kind, context=contexts[ref]) == []


def test_a_named_person_without_care_is_only_a_name(contexts: dict[str, Context]) -> None:
    # "cream" and "Bill" are not care; a name alone is a name finding, not a disclosure
    for text in ("Maria loves ice cream and our fish tank.", "Bill Henley ran the 5K with us."):
        found = spans(text, kind="post", context=contexts["osei"])
        assert [c for _, c, _ in found] == ["name"], found
