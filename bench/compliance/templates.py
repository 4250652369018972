"""Templates for the corpus generator (bench/compliance/corpus.py).

Each template is a function (maker, practice) -> list of pieces: literal strings, or
(value, category) for a labelled gold span. PHI templates label their spans; clean
templates must contain none. Written from the rules in COMPLIANCE.md and issue 3.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.compliance.corpus import Maker, Piece

# ---- templates ---------------------------------------------------------------------
# Each template is a function (maker, practice) -> list[Piece]. PHI templates label their
# spans; clean templates must contain none.

Template = Callable[["Maker", dict[str, Any]], list["Piece"]]

CARE_PAST = [
    "wisdom teeth extraction",
    "root canal",
    "knee replacement",
    "crown",
    "colonoscopy",
    "first therapy session",
    "braces removal",
    "MRI",
    "allergy testing",
    "physical",
]
RELATIONSHIP = [
    "glad the new meds are working",
    "sorry the extraction hurt",
    "your lab results are in",
    "as we discussed at your appointment",
    "we'll adjust your dose",
    "sorry your crown came loose after your visit",
    "your records show",
    "you missed three appointments",
    "hope your recovery is going well after your surgery",
    "thank you for being our patient",
]


def _staff_parts(practice: dict[str, Any]) -> list[str]:
    out = []
    for entry in practice["staff"]:
        words = [w.strip(",") for w in entry.split()]
        names = [
            w for w in words if w[0].isupper() and w not in ("Dr.", "RN", "LCSW", "PT", "Nurse")
        ]
        names = [w for w in names if w not in ("Hygienist", "Office", "Manager", "Therapist")]
        out.append(" ".join(names[-2:]))
    return out


def _staff_mention(m: Maker, p: dict[str, Any]) -> str:
    full = m.pick(_staff_parts(p))
    first, last = full.split()[0], full.split()[-1]
    entry = next(e for e in p["staff"] if full.split()[-1] in e)
    titled = f"Dr. {last}" if entry.startswith("Dr.") else first
    return m.pick(
        [full, first, titled, f"our {m.pick(['hygienist', 'nurse', 'team member', 'own'])} {first}"]
    )


PHI_TEMPLATES: list[tuple[str, Template]] = [
    (
        "post",
        lambda m, p: [
            "Congrats to ",
            (m.full(), "name"),
            " on finishing ",
            ("her braces", "patient_relationship"),
            " ",
            ("today", "date"),
            "! 🎉",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Happy ",
            (m.old_birthday(), "age_over_89"),
            " to ",
            ("our favorite patient", "patient_relationship"),
            " ",
            (m.first(), "name"),
            "! You make every visit brighter.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Big shoutout to ",
            (m.titled(), "name"),
            " who ",
            ("came in for her " + m.pick(CARE_PAST), "patient_relationship"),
            " ",
            ("yesterday", "date"),
            " and didn't flinch once.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Patient spotlight: ",
            (m.full(), "name"),
            " from ",
            (m.city(), "geo"),
            " is back on the trail after ",
            (
                "his " + m.pick(["knee replacement", "surgery", "physical therapy"]),
                "patient_relationship",
            ),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Sending love to ",
            (m.hashtag(), "name"),
            " — ",
            ("her chemo", "patient_relationship"),
            " wraps up ",
            ("this week", "date"),
            ". ❤️",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Thanks ",
            (m.handle(), "name"),
            " for the sweet card after ",
            ("your " + m.pick(CARE_PAST), "patient_relationship"),
            "!",
        ],
    ),
    (
        "post",
        lambda m, p: [
            (m.initials(), "name"),
            " in bay 3 was the bravest kid ",
            ("today", "date"),
            " during ",
            ("his filling", "patient_relationship"),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "little ",
            (m.first().lower(), "name"),
            " lost ",
            ("her first tooth", "patient_relationship"),
            " in our chair on ",
            (m.date(), "date"),
            "!",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Found in the waiting room: a wallet with ID for ",
            (m.full(), "name"),
            ", ",
            (m.street(), "geo"),
            ". Call ",
            (m.phone(), "phone"),
            " to claim it.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            (m.full(), "name"),
            " just ",
            (m.old_age(), "age_over_89"),
            " and we celebrated at ",
            ("her checkup", "patient_relationship"),
            " ",
            ("this morning", "date"),
            "!",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Remembering ",
            (m.full(), "name"),
            " (born ",
            (m.dob(), "date"),
            "), ",
            ("a patient of ours", "patient_relationship"),
            " for 30 years.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            (m.first(), "name"),
            " ",
            ("was diagnosed", "patient_relationship"),
            " with a ",
            ("cavity", "patient_relationship"),
            " at 3 and now brushes like a champ. ",
            m.pick(["#SmileBright", "#KidsDental", ""]),
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "My neighbor ",
            (m.full(), "name"),
            " ",
            ("was admitted", "patient_relationship"),
            " ",
            (m.date(), "date"),
            " and his daughter asked me to share: call her at ",
            (m.phone(), "phone"),
            ".",
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "Prayers for ",
            (m.hashtag(), "name"),
            " please. ",
            ("Her surgery", "patient_relationship"),
            " is ",
            (m.pick(["tomorrow", "on Friday"]), "date"),
            ". Fundraiser: ",
            (m.url(), "url"),
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "Does anyone know ",
            (m.titled(), "name"),
            "? ",
            ("She had her hip replaced", "patient_relationship"),
            " here and lives on ",
            (m.street(), "geo"),
            ".",
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "Reach out to my mom ",
            (m.first(), "name"),
            " at ",
            (m.email(), "email"),
            " if you want tips for ",
            ("her dialysis", "patient_relationship"),
            " days.",
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            "Hi ",
            (m.first(), "name"),
            ", ",
            (m.pick(RELATIONSHIP), "patient_relationship"),
            ". Please call us!",
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            "Thank you ",
            (m.first(), "name"),
            "! ",
            (
                "We're so glad your " + m.pick(["crown", "implant", "cleaning", "treatment"]),
                "patient_relationship",
            ),
            " went well.",
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            (m.pick(RELATIONSHIP).capitalize(), "patient_relationship"),
            ". We hope to see you soon.",
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            ("We're sorry about the wait", "patient_relationship"),
            " on ",
            (m.date(), "date"),
            ", ",
            (m.titled(), "name"),
            ". ",
            ("Your x-rays", "patient_relationship"),
            " took longer than usual.",
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            "Hello ",
            (m.first(), "name"),
            ", ",
            ("our records", "patient_relationship"),
            " show ",
            ("your balance", "patient_relationship"),
            " for account ",
            (m.account(), "account_number"),
            " was paid.",
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            "Thanks for the feedback. ",
            ("Your insurance", "patient_relationship"),
            " (member ID ",
            (m.plan_id(), "health_plan_id"),
            ") denied the claim, not us.",
        ],
    ),
    (
        "comment_reply",
        lambda m, p: [
            (m.handle(), "name"),
            " ",
            ("we'll adjust your dose", "patient_relationship"),
            " at the next ",
            ("visit", "patient_relationship"),
            ", don't worry!",
        ],
    ),
    (
        "comment_reply",
        lambda m, p: [
            "So happy to hear it, ",
            (m.first(), "name"),
            "! ",
            ("Glad the new meds are working", "patient_relationship"),
            ".",
        ],
    ),
    (
        "comment_reply",
        lambda m, p: [
            (m.pick(RELATIONSHIP).capitalize(), "patient_relationship"),
            " — send us a DM.",
        ],
    ),
    (
        "comment_reply",
        lambda m, p: [
            "Hi ",
            (m.first(), "name"),
            ", ",
            ("your lab results are in", "patient_relationship"),
            "; call ",
            (m.phone(), "phone"),
            " for details.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Reminder for ",
            (m.full(), "name"),
            ": bring your card, MRN ",
            (m.mrn(), "mrn"),
            ", to ",
            ("your follow-up", "patient_relationship"),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Lost & found: hearing aid serial ",
            (m.serial(), "device_id"),
            " left after ",
            ("a patient's appointment", "patient_relationship"),
            " ",
            (m.date(), "date"),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Whoever parked the car with plate ",
            (m.plate(), "vehicle_id"),
            " during ",
            ("their visit", "patient_relationship"),
            ": your lights are on!",
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "Posting for my dad, SSN ",
            (m.ssn(), "ssn"),
            ", who ",
            ("was discharged", "patient_relationship"),
            " ",
            (m.date(), "date"),
            " — is that safe?",
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "My claim number is ",
            (m.claim(), "other_id"),
            " and my license ",
            (m.license(), "license_number"),
            "; can anyone help?",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Our server logged a login from ",
            (m.ip(), "ip_address"),
            " for ",
            (m.full(), "name"),
            "'s portal account.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Fax ",
            (m.phone(), "fax"),
            " sent for ",
            (m.full(), "name"),
            ("'s referral", "patient_relationship"),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "We scanned ",
            ("her fingerprints", "biometric"),
            " for ",
            (m.first(), "name"),
            "'s ID bracelet.",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Car VIN ",
            (m.vin(), "vehicle_id"),
            " belongs to a patient; please move it.",
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "ZIP ",
            (m.zip(), "geo"),
            " friends: ",
            (m.full(), "name"),
            " needs rides to ",
            ("his dialysis", "patient_relationship"),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            "Welcome to the world, baby ",
            (m.first(), "name"),
            "! Born ",
            (m.date(), "date"),
            " to ",
            ("our patient", "patient_relationship"),
            " ",
            (m.full(), "name"),
            ".",
        ],
    ),
    (
        "post",
        lambda m, p: [
            (m.first().lower() + " " + m.last().lower(), "name"),
            " you were so brave at ",
            ("your shots", "patient_relationship"),
            " ",
            ("today", "date"),
            "!!",
        ],
    ),
]


def _closure_date(m: Maker) -> str:
    return m.pick(
        ["Nov 27", "November 27", "Dec 24 and 25", "July 4th", "Monday, Jan 19", "May 26", "9/1"]
    )


CLEAN_TEMPLATES: list[tuple[str, Template]] = [
    (
        "post",
        lambda m, p: [
            f"Our office is closed {_closure_date(m)} for the holiday. Call {p['practice_phone']} to book!"
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Meet {_staff_mention(m, p)}! Ask about our new evening hours at {p['practice_name']}."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Will {m.pick(['you', 'your kids', 'your family'])} be in town over break? We {m.pick(['will', 'still'])} have openings. Book at {p['website']}."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Grace under pressure: {_staff_mention(m, p)} on how we handle emergencies."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"June is {m.pick(['Men’s Health Month', 'Alzheimer’s & Brain Awareness Month', 'National Safety Month'])}. Schedule your checkup before summer!"
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"We hope everyone has a safe {m.pick(['Thanksgiving', 'Fourth of July', 'Labor Day weekend', 'Memorial Day'])}! Back {_closure_date(m)}."
        ],
    ),
    ("post", lambda m, p: [f"Visit us at {p['practice_address']} or call {p['practice_phone']}."]),
    (
        "post",
        lambda m, p: [
            f"{m.pick(['Serena Williams', 'Simone Biles', 'Tom Hanks', 'President Biden', 'Senator Warren', 'Taylor Swift'])} {m.pick(['talked about', 'opened up about', 'spoke about'])} {m.pick(['mental health', 'knee surgery recovery', 'diabetes awareness'])} this week. Here's what the research says."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Did you know? Adults should get a {m.pick(['colonoscopy', 'flu shot', 'dental cleaning', 'blood pressure check'])} {m.pick(['at 45', 'every year', 'twice a year', 'regularly'])}. Ask your doctor."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Flossing once a day removes plaque your brush can't reach. {m.pick(['#FlossFriday', '#DentalTips', '#HealthyHabits'])}"
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"We now serve families across {m.pick(['Texas', 'Ohio', 'Washington', 'Colorado', 'the Pacific Northwest', 'Central Texas'])}! New patients welcome."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Hope you have a wonderful weekend! From all of us at {p['practice_name']}."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Our patient portal is down {m.pick(['tonight', 'Saturday morning', 'from 8 to 10 pm'])} for maintenance."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Free flu shot clinic {m.pick(['Oct 12', 'October 12th', '10/12', 'this Saturday'])} from 9–1. No appointment needed."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"{_staff_mention(m, p)} will be speaking at the {m.pick(['Texas', 'Ohio', 'state'])} health fair on {_closure_date(m)}."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Use your benefits before Dec 31! Book your cleaning at {p['website']} or {p['practice_phone']}."
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Rose {m.pick(['petals', 'gold', 'tea'])} and sunshine: our lobby got a makeover. Come see it!"
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Faith, hope and {m.pick(['floss', 'fluoride', 'a good toothbrush'])}. Happy {m.pick(['Monday', 'Friday', 'Wednesday'])}!"
        ],
    ),
    (
        "post",
        lambda m, p: [
            f"Mark your calendars: {m.pick(['Back-to-school checkups', 'Sports physicals', 'Our open house'])} start {_closure_date(m)}."
        ],
    ),
    (
        "post",
        lambda m, p: ["The CDC recommends a yearly flu vaccine for everyone 6 months and older."],
    ),
    (
        "post",
        lambda m, p: [
            f"Bill {m.pick(['pay', 'questions', 'pay online'])}? Visit {p['website']}/billing or call {p['practice_phone']}."
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            f"Thank you for taking the time to share your feedback. We can't discuss anyone's care online, but we'd love to talk. Please call {p['practice_phone']}."
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            f"Thanks for the kind words! Our whole team, including {_staff_mention(m, p)}, appreciates it."
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            f"We're sorry to hear about your experience. To protect everyone's privacy we don't discuss details here. Please contact our office manager at {p['practice_phone']}."
        ],
    ),
    (
        "review_reply",
        lambda m, p: [
            "We appreciate every review and take all feedback seriously. Please reach out to us directly so we can learn more."
        ],
    ),
    (
        "review_reply",
        lambda m, p: [f"Thank you! We will share this with the team at {p['practice_name']}."],
    ),
    (
        "comment_reply",
        lambda m, p: [
            f"Great question! In general, {m.pick(['sensitivity after whitening usually fades in a day or two', 'most people need a cleaning every six months', 'ice helps with swelling after a sprain'])}. Call us at {p['practice_phone']} to talk about your situation."
        ],
    ),
    (
        "comment_reply",
        lambda m, p: [
            f"Yes, we're open {m.pick(['Saturdays', 'until 7 on Thursdays', 'the day after Thanksgiving'])}! Book online at {p['website']}."
        ],
    ),
    ("comment_reply", lambda m, p: ["Thanks for sharing this article! Great tips for everyone."]),
    (
        "comment_reply",
        lambda m, p: [f"We're located at {p['practice_address']}, with free parking."],
    ),
    (
        "community_post",
        lambda m, p: [
            f"I'm {m.first()} and I just want to say this group helped me so much. Keep going, everyone!"
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            "Anyone have tips for staying motivated with physical therapy exercises at home?"
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            f"Reminder: the support group meets {m.pick(['Tuesdays at 6', 'every other Thursday', 'the first Monday of the month'])} in the community room."
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            f"So grateful for {_staff_mention(m, p)} and the whole team at {p['practice_name']}!"
        ],
    ),
    (
        "community_post",
        lambda m, p: [
            f"What's everyone's favorite sugar-free snack? Mine is {m.pick(['apple slices', 'cheese', 'almonds'])}."
        ],
    ),
]
