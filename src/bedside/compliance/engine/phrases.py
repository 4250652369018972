"""Phrases that confirm a person is a patient or reveal their care (patient_relationship).

Each pattern runs only when one of its trigger words occurs in the text (a set lookup),
so adding phrases costs little for texts that cannot match them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .identifiers import CI

CARE = (
    r"(?:visits?|appointments?|appts?|procedures?|treatments?|surgery|surgeries|operation|"
    r"cleanings?|exams?|check-?ups?|crowns?|fillings?|root\s+canals?|extractions?|implants?|braces|"
    r"aligners|invisalign|dentures?|bridge|veneers?|whitening|x-?rays?|scans?|mri|ct\s+scan|"
    r"biops(?:y|ies)|lab\s+results|test\s+results|results|labs|lab\s+work|bloodwork|blood\s+work|"
    r"prescriptions?|medications?|meds|dose|dosage|diagnosis|therapy|sessions?|chemo(?:therapy)?|"
    r"radiation|recovery|stitches|sutures|injections?|shots?|vaccines?|infusions?|consult(?:ation)?s?|"
    r"follow-?ups?|referrals?|treatment\s+plan|claims?|bill|balance|copay|deductible|records|chart|"
    r"condition|wound|cavit(?:y|ies)|colonoscopy|mammogram|ultrasound|pregnancy|delivery|c-section|"
    r"physical|screening|tests?|infection|allergy|allergies|symptoms|wisdom\s+teeth|cast|splint|"
    r"insulin|inhaler|hearing\s+aids?|glasses|contacts|rehab|dialysis|transplant|pacemaker|"
    r"sedation|anesthesia|numbing|insurance|coverage|fever|cough|rash|flu|ear\s+infection|asthma|anxiety|"
    r"depression|panic\s+attacks?|seizures?|migraines?|diabetes|cancer|concussion|fracture|sprain|injury|"
    r"tonsils|acl|baby|program|journey|rehab|restoration|drops|ear\s+drops|eye\s+drops|brace|intake|boot|"
    r"crutches|sling|retainer|night\s*guard|mouth\s*guard|cream|ointment|antibiotics?|(?:knee|hip|shoulder|joint)\s+replacement|replacement|"
    r"rubber\s+bands|elastics|trays|spacers|sealants?|fluoride|expander|headgear|exercises|"
    r"adjustments?|fitting|statement|refund|charges?|invoice|billing|swelling|soreness|numbness|"
    r"bleeding|bruising|stiffness|tenderness|nausea|sensitivity|hospital\s+stay|"
    r"(?:\w+[\s\-](?:week|month|day|year))\s+(?:check|post-?op|recheck)|"
    r"rsv|strep|covid|ear\s+tubes|newborn\s+visit|adhd|autism|eczema|pneumonia|bronchitis|croup|ptsd|ocd|"
    r"addiction|sobriety|bipolar|arthritis|scoliosis|tendinitis|tendonitis|sciatica|plantar\s+fasciitis|stroke|"
    r"heart\s+attack|tumou?r|lupus|celiac|hernia|appendicitis|type\s+[12]\s+diabetes|round\s+of\s+\w+|"
    r"course\s+of\s+\w+|relapse|eating\s+disorder|overdose|detox|in\s+the\s+hospital|hospital\s+stay|"
    r"physical\s+therapy|tooth|teeth|gums|knee|hip|shoulder|back|pain)"
)
# Care words that are not body parts or symptoms: "her teeth" alone is not a disclosure.
CARE_EVENT = CARE.replace(r"|tooth|teeth|gums|knee|hip|shoulder|back|pain)", ")")


class Triggered:
    """Patterns gated by trigger words: (triggers, pattern) pairs, run in list order."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self.patterns = [CI(p) for _, p in entries]
        self.by_word: dict[str, list[int]] = {}
        for i, (triggers, _) in enumerate(entries):
            for word in triggers.split():
                self.by_word.setdefault(word, []).append(i)

    def finditer(self, text: str, low: str | None, words: set[str]) -> Iterator[re.Match[str]]:
        hits: set[int] = set()
        by_word = self.by_word
        for word in words:
            found = by_word.get(word)
            if found is not None:
                hits.update(found)
        for i in sorted(hits):
            yield from self.patterns[i].finditer(text, low)


ANY_KIND = Triggered(
    [
        (
            "bring bringing brought",
            r"\b(?:bring|bringing|brought)\s+(?:your|her|his|their)\s+(?:son|daughter|child|kids?|twins|baby|little\s+one|husband|wife|mom|dad|mother|father)\s+in\b",
        ),
        (
            "discussed spoke talked mentioned",
            r"\b(?:as\s+(?:we\s+)?discussed|when\s+we\s+(?:spoke|talked)|as\s+mentioned)\s+(?:at|during|in|on)\s+your\b",
        ),
        (
            "your",
            r"\byour\s+(?:records?|chart|file|x-?rays?|results?|labs?|lab\s+results|test\s+results|scans?|tests?|bloodwork|biopsy)\s+(?:show|shows|showed|indicate[sd]?|say|says|came\s+back|are\s+in|is\s+in|are\s+back|is\s+back|are\s+ready|is\s+ready|were|look)\b",
        ),
        (
            "missed",
            r"\byou(?:'ve|\s+have)?\s+missed\s+(?:\w+\s+){0,2}(?:appointments?|visits?|cleanings?|sessions?|check-?ups?)\b",
        ),
        (
            "late show showed",
            r"\byou\s+were\s+(?:late|a\s+no-?show|no-?show)\b|\byou\s+no-?showed\b",
        ),
        (
            "adjust change increase decrease lower raise refill renew switch update taper",
            r"\b(?:we(?:'ll|\s+will|\s+can|\s+need\s+to|\s+want\s+to|'d\s+like\s+to)|let'?s|i(?:'ll|\s+will))\s+(?:adjust|change|increase|decrease|lower|raise|refill|renew|switch|update|taper)\s+(?:your|her|his|their)\s+(?:dose|dosage|medications?|meds|prescriptions?|insulin|treatment)\b",
        ),
        (
            "glad",
            r"\bglad\s+(?:that\s+)?(?:the|your|her|his)\s+(?:new\s+)?(?:meds|medications?|treatment|therapy|implants?|crowns?|braces|aligners|dentures|prescription|inhaler|glasses|hearing\s+aids?|procedure|surgery)\s+(?:is|are|has\s+been|have\s+been|was|were|seems?)\s+(?:working|helping|fitting|better|healing)",
        ),
        ("sorry", rf"\bsorry\s+(?:that\s+|about\s+|for\s+)?(?:the|your|her|his)\s+{CARE_EVENT}\b"),
        (
            "her his yesterday today morning week",
            rf"\b(?:after|before|during|since|at|from)\s+(?:her|his|yesterday['’]s|today['’]s|this\s+morning['’]s|last\s+week['’]s)\s+(?:recent\s+|last\s+|first\s+)?{CARE_EVENT}\b",
        ),
        (
            "her his",
            rf"\b(?:her|his)\s+(?:recent\s+|last\s+|first\s+|new\s+|latest\s+|upcoming\s+|final\s+|next\s+|weekly\s+)?(?:[\w\-]+\s+)?{CARE_EVENT}\b",
        ),
        (
            # a new or returning patient: "switched to us", "has started coming in"
            "switched switching started starts began coming",
            r"\bswitch(?:ed|ing)\s+(?:over\s+)?to\s+us\b|\b(?:started|starts|began)\s+coming\s+"
            r"(?:in|here|to\s+us|to\s+see\s+us)\b",
        ),
        (
            "ours patients clients kiddos kids families littles regulars patient client",
            r"(?<!every\s)\bone\s+of\s+our\s+(?:\w+\s+)?(?:patients|clients)\b|\b(?:patient|client)s?\s+of\s+ours\b"
            r"|\bour\s+(?:longtime|long-time|former|newest|oldest|youngest|first|favou?rite)\s+client\b"
            # an unnamed patient, still one particular person: "one of our asthma kiddos",
            # "a patient of Dr. Morrison's", "a client told us", "one of Bill's clients"
            r"|(?<!every\s)\bone\s+of\s+our\s+(?:[\w\-]+\s+){0,2}(?:kiddos|kids|families|littles|regulars)\b"
            r"|\b(?:a|one)\s+(?:[\w\-]+\s+)?(?:patient|client)\s+(?:of\s+(?:dr\.?\s+)?\w+['’]s"
            r"|(?:said|told|shared|asked|wrote|mentioned|sent|let)\b)"
            r"|\bone\s+of\s+(?:dr\.?\s+)?\w+['’]s\s+(?:patients|clients)\b",
        ),
        (
            "patient patients client clients",
            r"\b(?:best|favou?rite|sweetest|bravest|youngest|oldest|newest|toughest|star|model)\s+(?:patient|client)s?\b(?!\s+(?:portal|care|experience|education|safety))",
        ),
        (
            "finished completed graduated wrapped started began crushed nailed aced finishing completing",
            rf"\b(?:finished|finishing|completed|completing|graduated\s+from|wrapped\s+up|started|began|crushed|nailed|aced)\s+(?:her\s+|his\s+|their\s+|your\s+|the\s+)?(?:last\s+|first\s+|final\s+)?(?:\w+\s+)?{CARE_EVENT}\b",
        ),
        ("baby birth", r"\bhad\s+(?:her|their)\s+baby\b|\bgave\s+birth\b"),
        (
            "us",
            rf"\b(?:after|since|during)\s+{CARE_EVENT}\s+(?:with|at)\s+(?:us|our\s+(?:office|clinic|practice))\b",
        ),
        (
            "helpful helping helped working worked",
            rf"\b{CARE_EVENT}\s+(?:has|have|had)\s+(?:really\s+)?(?:been\s+)?(?:helpful|helping|helped|working|worked)\b",
        ),
        (
            "patient",
            r"\b(?:our|my|this|that)\s+(?:[\w\-]+\s+){0,2}?patient(?!s)(?!['’]s\s+(?:rights|privacy))\b(?!\s+(?:portal|care|coordinator|forms?|experience|education|satisfaction|reviews?|lounge|services?|safety|comfort|privacy|advocate|intake|information|info|resources|center|centre|first|communication|relations|records|rooms?|team|guide|handbook|survey|feedback|financing|parking))",
        ),
        (
            "came comes come coming",
            rf"\b(?:came|comes|come|coming)\s+in\s+(?:for|with)\s+(?:a\s+|an\s+|her\s+|his\s+|their\s+|your\s+)?(?:\w+\s+)?{CARE}\b",
        ),
        (
            "diagnosed admitted discharged hospitalized treated",
            r"\b(?:was|were|got|has\s+been|had\s+been|have\s+been)\s+(?:diagnosed|admitted|discharged|hospitalized|treated)\b",
        ),
        (
            "recovering healing",
            r"\b(?:is|are|she's|he's)\s+(?:recovering|healing)\s+(?:from|well|nicely)\b",
        ),
        (
            "saw treated removed extracted placed pulled filled fixed numbed sedated rayed",
            r"\bwe\s+(?:saw|treated|removed|extracted|placed|pulled|filled|fixed|numbed|sedated|x-rayed)\s+(?:you|her|him|them|your|his)\b",
        ),
        ("positive negative", r"\bcame\s+(?:back\s+)?(?:positive|negative)\b"),
        (
            "lost pulled chipped broke cracked knocked fixed removed extracted replaced fractured sprained tore broken",
            r"\b(?:lost|pulled|chipped|broke|cracked|knocked\s+out|fixed|removed|extracted|replaced|fractured|sprained|tore|broken)\s+(?:her|his|their|a|my)\s+(?:first\s+|front\s+|baby\s+|wisdom\s+|left\s+|right\s+)?(?:tooth|teeth|molar|crown|filling|arm|leg|wrist|ankle|knee|hip|acl|ligament|collarbone|finger|nose)\b",
        ),
        (
            "had got getting gets",
            r"\b(?:had|got|getting|gets)\s+(?:her|his|their)\s+(?:\w+\s+){0,2}(?:replaced|removed|pulled|fixed|extracted|checked|cleaned|x-rayed|set|stitched|drained|looked\s+at|done|treated|filled|straightened|adjusted)\b",
        ),
        ("were did", rf"\byou\s+(?:were|did)\b[^.!?\n]{{0,40}}\byour\s+{CARE}\b"),
        (
            "their",
            rf"\b(?:during|after|since)\s+their\s+(?:recent\s+|last\s+|first\s+)?{CARE_EVENT}\b",
        ),
        ("patient", rf"\b(?:a|the|our|this|that)\s+patient['’]s\s+{CARE_EVENT}\b"),
        (
            # "her Tuesday group", "his grief support group": a counselling group is care
            "group",
            r"\b(?:her|his|their|your)\s+(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|"
            r"sunday|morning|evening|night|weekly|support|therapy|grief|recovery|parenting|anxiety|"
            r"teen|men['’]s|women['’]s|moms['’]?|dbt|cbt|process|group\s+therapy)\s+){1,3}group\b",
        ),
        (
            # "the family whose appointment we moved": one particular patient
            "whose who",
            rf"\b(?:the|that|one)\s+(?:\w+\s+)?(?:family|patient|person|parent|mom|dad|mother|"
            rf"father|client|gentleman|lady|woman|man|boy|girl|kid|child|teen|couple)\s+"
            rf"(?:whose\s+(?:\w+\s+){{0,2}}?{CARE_EVENT}\b|who\s+(?:came\s+in|was\s+in|visited\s+us|"
            rf"had\s+(?:her|his|their|an?)\s+(?:\w+\s+)?{CARE_EVENT}\b))",
        ),
    ]
)
REPLY_ONLY = Triggered(
    [
        (
            "hope",
            rf"\bhope\s+(?:the|your)\s+(?:new\s+)?{CARE_EVENT}\s+(?:is|are)\s+(?:helping|working|healing|feeling)\b",
        ),
        (
            "son daughter child kid kids baby husband wife mom dad mother father one",
            r"\byour\s+(?:son|daughter|child|kid|kids|little\s+one|baby|husband|wife|mom|dad|mother|father)\s+(?:was|were|did|is\s+doing|has\s+been|looked|seemed|handled|came|is\s+feeling|feels|is\s+healing|is\s+recovering|is\s+sleeping|is\s+eating|is\s+settling|is\s+back)\b",
        ),
        ("last first recent", rf"\b(?:the|that)\s+(?:last|first|recent)\s+{CARE_EVENT}\b"),
        (
            "glad happy",
            rf"\b(?:glad|happy)\s+(?:that\s+)?(?:the|your)\s+(?:new\s+)?{CARE_EVENT}\s+(?:turned\s+out|went|came\s+out|looks?|feels?|helped|is\s+helping|are\s+helping|worked|is\s+working|are\s+working)\b",
        ),
        ("progress", r"\bthe\s+progress\s+you(?:'ve|\s+have)\s+made\b|\byour\s+progress\b"),
        (
            "your",
            r"\byour\s+(?:hygienist|dentist|doctor|surgeon|therapist|counselor|nurse|provider|pt|physical\s+therapist|pediatrician|orthodontist|care\s+team|case\s+manager)\b",
        ),
        (
            "thank thanks",
            r"\bthank(?:s|\s+you)\s+(?:so\s+much\s+)?for\s+(?:your\s+visit|visiting|coming\s+in|coming\s+to\s+see\s+us|choosing\s+us|trusting\s+us|being\s+(?:a|our|such\s+a)\s+(?:\w+\s+)?patient|your\s+loyalty)",
        ),
        (
            "welcome good great nice see",
            r"\b(?:welcome\s+back|good\s+to\s+see\s+you|great\s+to\s+see\s+you|nice\s+to\s+see\s+you|see\s+you\s+(?:again|back|next\s+time|at\s+your\s+next|in\s+six\s+months|in\s+6\s+months))\b",
        ),
        (
            "did were",
            r"\byou\s+(?:did\s+(?:great|so\s+well|amazing)|were\s+(?:a\s+)?(?:great|brave|wonderful|model)\s+patient)\b",
        ),
        (
            # "hope you're feeling better", "wishing you a speedy recovery": they were ill or treated
            "feeling doing healing recovering mend feet soon speedy",
            r"\b(?:you(?:['’]re|\s+are)?\s+(?:feeling|doing|healing|recovering)\s+(?:so\s+much\s+|a\s+lot\s+|much\s+)?"
            r"(?:better|well\s+after|nicely)|on\s+the\s+mend|back\s+on\s+your\s+feet|"
            r"feel\s+better\s+soon(?!\s+to\s+(?:everyone|all|anyone))|"
            r"get\s+well\s+soon|speedy\s+recovery)\b",
        ),
        (
            "congrats congratulations",
            rf"\bcongrat(?:s|ulations)\s+on\s+(?:finishing|completing|getting|starting|wrapping\s+up|your|the)\s+"
            rf"(?:\w+\s+){{0,2}}?{CARE}\b",
        ),
        (
            "keep",
            rf"\bkeep\s+(?:wearing|using|doing|up)\s+(?:those|your|the)\s+(?:\w+\s+)?{CARE}\b",
        ),
        (
            # a visit, confirmed: "having you in the chair", "with us for ten years", "on file"
            "having pleasure enjoyed loved with file records system",
            r"\bhaving\s+you\s+(?:in|back|as\s+(?:a|our)\s+patient)\b|\b(?:pleasure|enjoyed|loved)\s+"
            r"(?:seeing|treating|caring\s+for)\s+you\b|\b(?:been|being)\s+with\s+us\s+(?:for|since)\b|"
            r"\b(?:on|in\s+your)\s+file\b|\bin\s+(?:our|your)\s+(?:records|system|chart)\b",
        ),
        (
            # "twenty years in our chair", "you're a fourth-generation patient", "sent to the ER"
            "chair care years patient patients client clients sent referred admitted seen",
            r"\bin\s+our\s+(?:chair|care)\b|\b(?:years?|months?)\s+with\s+us\b"
            r"|\byou(?:['’]re|\s+are|\s+were|\s+have\s+been|['’]ve\s+been)\s+(?:a|an|our|such\s+an?)\s+"
            r"(?:[\w\-]+\s+){0,2}(?:patient|client)s?\b"
            r"|\byou\s+(?:were|got)\s+(?:sent|referred|admitted|transferred|discharged)\b"
            r"|\b(?:haven['’]t|have\s+not|hadn['’]t)\s+seen\s+you\b",
        ),
        (
            # "your 2 pm", "cancel your 4:30": an appointment time
            "am pm a.m. p.m. o'clock",
            r"\byour\s+\d{1,2}(?::\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|o['’]clock)(?!\w)",
        ),
        (
            "bringing brought bring trusting",
            r"\b(?:bringing|brought|bring)\s+(?:your|the|her|his|their)\s+(?:[\w\-']+\s+){0,2}(?:in|to|for)\b"
            r"|\btrusting\s+us\s+with\s+(?:your|the)\b",
        ),
        (
            "for",
            rf"\bin\s+for\s+(?:a\s+|an\s+|her\s+|his\s+|their\s+|your\s+|the\s+)?(?:[\w\-]+\s+)?{CARE}\b",
        ),
        (
            # "a joy watching you go from two crutches to none", "you both showed up every week"
            "joy privilege honor honour pleasure treat showed show moving going stepping switching",
            r"\b(?:joy|privilege|honou?r|pleasure|treat)\s+(?:to\s+)?(?:watch|watching|walk|walking\s+alongside|"
            r"work(?:ing)?\s+with|see(?:ing)?|help(?:ing)?|car(?:e|ing)\s+for|treat(?:ing)?)\s+you\b"
            r"|\byou\s+(?:both\s+|all\s+|two\s+)?(?:showed|show|keep\s+showing)\s+up\b"
            r"|\b(?:moving|going|stepping|switching)\s+(?:down\s+)?(?:from\s+[\w\-]+\s+)?to\s+(?:[\w\-]+\s+)?"
            r"(?:sessions|visits|appointments|check-?ins)\b",
        ),
        (
            # a visit, confirmed in so many words
            "treating treated treat saw seen seeing meeting met reschedule rescheduled rescheduling get got fit squeeze arrived checked came were welcome chose picked due how proud missed miss day",
            r"\b(?:treating|treated|treat|saw|seen|meeting|met|reschedul(?:e|ed|ing))\s+(?:you|your\s+[\w\-]+)\b"
            r"|\bseeing\s+you\s+(?:again|back|every|each)\b"
            r"|\b(?:get|got|fit|squeeze|squeezed)\s+you\s+in\b"
            r"|\byou\s+(?:arrived|checked\s+in|came\s+in|were\s+here|were\s+in\s+(?:the\s+)?(?:office|clinic|chair))\b"
            r"|\bwelcome\s+to\s+(?:the|our)\s+(?:practice|clinic|office|family|practice\s+family)\b"
            r"|\byou\s+(?:chose|picked)\s+us\b"
            r"|\byou(?:['’]re|\s+are)\s+(?:over)?due\s+for\b"
            r"|\bhow\s+(?:hard|far|much)\s+you(?:['’]ve|\s+have)\s+(?:worked|come|grown|progressed|improved)\b"
            r"|\bproud\s+of\s+you\s+for\s+(?:going|coming|showing|trying|sticking|finishing|starting|doing|making|keeping)\b"
            r"|\b(?:missed|miss)\s+(?:seeing\s+)?you\s+at\b"
            r"|\bday\s+\d+\s+(?:post-?op|after\s+surgery)\b",
        ),
        (
            "part member",
            r"\byou(?:['’]ve|\s+have)\s+been\s+(?:such\s+)?(?:a|an)\s+(?:[\w\-]+\s+){0,2}(?:part|member)\s+of\s+our\b",
        ),
        (
            "sorry apologize apologise apologies",
            r"\b(?:sorry|apologi[sz]e|apologies)\b[^.!?\n]{0,40}?\b(?:the\s+wait\b|wait(?:ed|ing)?\s+(?:so\s+long|for|in|at|over|more|an?\s+hour)|had\s+to\s+wait)",
        ),
        (
            "how",
            rf"\b(?:thrilled|glad|happy|love|loved|proud)\s+(?:with\s+|of\s+|about\s+)?how\s+(?:your|the)\s+"
            rf"(?:new\s+)?(?:\w+\s+)?(?:smile|{CARE})\s+(?:turned\s+out|came\s+out|looks?|is\s+healing|healed)\b",
        ),
        (
            "call text email contact reach",
            rf"\b(?:call|text|email|e-mail|contact|reach)\s+you\s+(?:about|regarding|with)\s+(?:the|your)\s+(?:\w+\s+)?{CARE}\b",
        ),
        (
            "looked checked reviewed fixed corrected refunded adjusted resubmitted rebilled",
            r"\b(?:looked\s+into|checked\s+on|reviewed|fixed|corrected|refunded|adjusted|resubmitted|rebilled)\s+"
            r"(?:the|your)\s+(?:\w+\s+)?(?:charges?|bill|billing|claim|statement|balance|invoice|account|refund|copay|payment)\b",
        ),
        (
            "kids children son daughter little family",
            rf"\b(?:the\s+kids|your\s+(?:kids|children|son|daughter|little\s+ones?|family))\b[^.!?\n]{{0,40}}?\btheir\s+(?:\w+\s+)?{CARE_EVENT}\b",
        ),
    ]
)
# In a reply, "the implant healed well", "the swelling goes down": the author's own care,
# unless the sentence speaks in general ("if the swelling...", "most fillings...").
THE_CARE_EVENT = CI(
    rf"\bthe\s+(?:new\s+|temporary\s+|last\s+)?{CARE_EVENT}\s+(?:has\s+|have\s+|is\s+|are\s+|was\s+|were\s+|finally\s+)?"
    r"(?:healed|healing|went\s+(?:well|smoothly|great|fine|ok|okay|better)|turned\s+out|came\s+out|gone|going\s+down|"
    r"goes\s+down|went\s+down|took\s+(?:so\s+|too\s+)?long(?:er)?|hurt|hurts|"
    r"helped|helps|working|worked|fits|fit\s+(?:well|great|better)|settled|cleared|improved|feels|felt|looks|looked|"
    r"gives\s+you|giving\s+you|bother(?:s|ing|ed)\s+you)\b"
)
GENERAL = CI(
    r"\b(?:if|whenever|any|anyone|every|everyone|most|many|some|usually|typically|generally|"
    r"normally|often|sometimes|may|might|can\s+(?:cause|be|take|help|feel|expect|happen|make|last|have|use|give|go)|"
    r"should\s+(?:be|expect|feel|last|take))\b"
    r"|\bwhen(?!\s+(?:you|we|she|he|they)\s+(?:came|were|was|visited|saw|stopped|called|dropped|"
    r"checked|picked))\b"
)
# "their flu shots" near a name: like "your <care>", marketing unless someone is named.
THEIR_CARE = CI(rf"\btheir\s+(?:recent\s+|last\s+|first\s+|next\s+)?(?:[a-z\-]+\s+)?{CARE_EVENT}\b")
YOUR_CARE = CI(
    rf"\b(?:your|ur)\s+(?:recent\s+|last\s+|next\s+|latest\s+|first\s+|upcoming\s+|new\s+|child['’]s\s+|son['’]s\s+|"
    rf"daughter['’]s\s+|kid['’]s\s+|kids['’]\s+|twins['’]\s+|baby['’]s\s+|mom['’]s\s+|dad['’]s\s+)?(?:[a-z\-]+\s+)?{CARE}\b"
)
# "cast off and back to soccer", "braces came off": a milestone of someone's care, when
# someone is named (or in a reply); in general advice ("when the cast comes off") it is not.
MILESTONE = CI(
    r"\b(?:cast|casts|braces|boot|sling|splint|stitches|sutures|brace|crutches|drain|"
    r"bandages?|wires|expander|halo)\s+(?:(?:is|are|came|come|finally|officially|now)\s+){0,2}"
    r"(?:off|out)\b(?!\s+(?:of|for)\b)"
)
