"""Word lists: the shipped name data (loaded lazily, once) and small hand-made sets."""

from __future__ import annotations

import os
import zlib
from functools import cache
from typing import NamedTuple


class NameData(NamedTuple):
    first: frozenset[str]  # US Census 1990 first names (lowercase)
    first_word: frozenset[str]  # first names that are also ordinary words ("will", "grace")
    last: frozenset[str]  # US Census 1990 surnames
    words: frozenset[str]  # ordinary lowercase English words (SCOWL, wordfreq zipf >= 2.5)
    very_common: frozenset[str]  # the most frequent English words (zipf >= 5: "in", "will")
    plain_words: frozenset[str]  # ordinary words that are not mainly first names ("maria")


@cache
def name_data() -> NameData:
    with open(os.path.join(os.path.dirname(__file__), "data", "names.txt.gz"), "rb") as fh:
        raw = fh.read()
    sections = _gunzip(raw).decode().split("\n%%\n")
    first, first_word, last, words, very_common = (frozenset(s.split()) for s in sections)
    return NameData(first, first_word, last, words, very_common, words - (first - first_word))


def _gunzip(raw: bytes) -> bytes:
    """zlib reads the one-member gzip file the build script writes; importing gzip would
    cost the command's start-up more than the decompression itself."""
    unzip = zlib.decompressobj(16 + zlib.MAX_WBITS)
    data = unzip.decompress(raw)
    if unzip.eof and not unzip.unused_data:
        return data
    import gzip  # several members or a truncated file: let gzip decide

    return gzip.decompress(raw)


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


MONTHS = _set(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
WEEKDAYS = _set(
    "monday tuesday wednesday thursday friday saturday sunday tue tues wed thu thur thurs fri"
)
HOLIDAYS = _set(
    """christmas easter thanksgiving hanukkah halloween kwanzaa passover ramadan eid diwali
    valentine valentines juneteenth memorial labor independence veterans columbus new year"""
)
US_STATES = _set(
    """alabama alaska arizona arkansas california colorado connecticut delaware florida georgia
    hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
    michigan minnesota mississippi missouri montana nebraska nevada hampshire jersey mexico
    york carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee texas utah vermont
    virginia washington wisconsin wyoming america usa canada midwest northeast southwest
    southeast northwest new north south east west island puerto rico district columbia"""
)
STATE_ABBR = _set(
    """AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ
    NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR"""
)
# Capitalised words that are never a person here: brands, places, institutions, religion.
NOT_PERSON = _set(
    """ok ty god christ lord bible church facebook instagram google yelp tiktok twitter youtube
    linkedin invisalign sonicare colgate crest oral-b waterpik botox juvederm ozempic wegovy
    tylenol advil motrin medicare medicaid aetna cigna humana kaiser humira covid omicron
    zoom amazon apple microsoft disney target walmart costco starbucks uber lyft venmo
    paypal hipaa cdc fda who ada ama nih aap osha ppo hmo dds dmd md rn np pa lpn phd
    team dental pediatrics family clinic medical health care center smile smiles lady
    gentleman girl boy kid kiddo man woman league"""
)
# Full names of states and regions ("South Carolina"): a place, never a town tied to a person.
STATE_NAMES = frozenset(
    line.strip()
    for line in [
        "alabama",
        "alaska",
        "arizona",
        "arkansas",
        "california",
        "colorado",
        "connecticut",
        "delaware",
        "florida",
        "georgia",
        "\n    hawaii",
        "idaho",
        "illinois",
        "indiana",
        "iowa",
        "kansas",
        "kentucky",
        "louisiana",
        "maine",
        "maryland",
        "massachusetts",
        "michigan",
        "\n    minnesota",
        "mississippi",
        "missouri",
        "montana",
        "nebraska",
        "nevada",
        "new hampshire",
        "new jersey",
        "new mexico",
        "new york",
        "\n    north carolina",
        "north dakota",
        "ohio",
        "oklahoma",
        "oregon",
        "pennsylvania",
        "rhode island",
        "south carolina",
        "\n    south dakota",
        "tennessee",
        "texas",
        "utah",
        "vermont",
        "virginia",
        "washington",
        "west virginia",
        "wisconsin",
        "wyoming",
        "\n    america",
        "united states",
        "canada",
        "mexico",
        "puerto rico",
        "district of columbia",
        "the midwest",
        "midwest",
        "\n    new england",
        "the south",
        "the north",
        "the west",
        "the east",
        "pacific northwest",
        "the pacific northwest",
        "\n    central texas",
        "northern california",
        "southern california",
        "the bay area",
        "bay area",
        "the gulf coast",
    ]
)
# States that are also first names: a name only with a cue ("Hello Virginia").
STATE_FIRST_NAMES = _set("virginia georgia carolina dakota montana florida")
# Month names that are also first names: a name only with a cue ("thanks, April").
MONTH_NAMES = _set("april may june august")
# USPS street suffixes (Publication 28, C1), full and abbreviated, lowercase.
STREET_SUFFIXES = _set(
    """alley aly annex anx arcade arc avenue ave av bayou byu beach bch bend bnd bluff blf
    bluffs blfs bottom btm boulevard blvd branch br bridge brg brook brk brooks burg bg
    burgs bypass byp camp cp canyon cyn cape cpe causeway cswy center ctr centers circle cir
    circles cliff clf cliffs clfs club clb common commons corner cor corners cors course crse
    court ct courts cts cove cv coves creek crk crescent cres crest crst crossing xing
    crossroad curve curv dale dl dam dm divide dv drive dr drives dvs estate est estates ests
    expressway expy extension ext extensions falls fls ferry fry field fld fields flds flat
    flt flats flts ford frd fords forest frst forge frg forges fork frk forks frks fort ft
    freeway fwy garden gdn gardens gdns gateway gtwy glen gln glens green grn greens grove
    grv groves harbor hbr harbors haven hvn heights hts highway hwy hill hl hills hls hollow
    holw inlet island is islands iss isle junction jct junctions key ky keys knoll knl
    knolls knls lake lk lakes lks landing lndg lane ln light lgt lights lgts loaf lf lock
    lck locks lcks lodge ldg loop mall manor mnr manors mnrs meadow mdw meadows mdws mews
    mill ml mills mls mission msn motorway mtwy mount mt mountain mtn mountains mtns neck
    nck orchard orch oval overpass opas park parks parkway pkwy parkways pass passage psge
    path pike pine pne pines pnes place pl plain pln plains plns plaza plz point pt points
    pts port prt ports prts prairie pr radial radl ramp ranch rnch rapid rpd rapids rpds
    rest rst ridge rdg ridges rdgs river riv road rd roads rds route rte row rue run shoal
    shl shoals shls shore shr shores shrs skyway skwy spring spg springs spgs spur spurs
    square sq squares sqs station sta stravenue stra stream strm street st streets sts
    summit smt terrace ter throughway trwy trace trce track trak trafficway trfy trail trl
    trailer trlr tunnel tunl turnpike tpke underpass upas union un unions uns valley vly
    valleys vlys viaduct via view vw views vws village vlg villages vlgs ville vl vista vis
    walk walks wall way ways well wl wells wls"""
)
# Suffixes that are unambiguous after "<number> <word>": a lowercase street still counts.
STRONG_STREET_SUFFIXES = _set(
    "street st avenue ave road rd boulevard blvd lane ln drive court ct highway hwy parkway pkwy terrace"
)
# A title before a name: the person is a named individual.
PERSON_TITLES = _set(
    "mr mrs ms miss mx mister missus coach officer pastor sergeant sgt deputy captain grandpa grandma "
    "reverend rev rabbi imam deacon"
)
# Courtesy titles fit anyone, staff included; the others name a role of their own.
COURTESY_TITLES = _set("mr mrs ms miss mx mister missus")
CLINICIAN_TITLES = _set("dr doctor prof professor nurse")
# Titles of public office: the name after them is a public figure.
PUBLIC_TITLES = _set(
    """president senator governor secretary mayor congressman congresswoman congressperson
    representative rep sen gov pope king queen prince princess justice judge general
    commissioner surgeon"""
)
# Words after a capitalised run that make it an organisation or place, not a person.
ORG_SUFFIXES = _set(
    """church hospital medical center centre clinic school university college park street
    st avenue ave road rd boulevard blvd drive lane foundation dental pediatrics dentistry
    orthodontics health healthcare institute memorial library county city hall day award
    awards fund society association academy group pharmacy lab labs elementary high middle
    stadium arena theater theatre museum mall plaza building tower bridge lake river mountain
    beach bay island valley heights hills village grove place square court way circle"""
)
# Role words that may precede or follow a staff member's name in the roster.
ROLE_WORDS = _set(
    """dr dr. doctor hygienist nurse rn lpn np pa pa-c dds dmd md do phd assistant dental
    office manager receptionist coordinator front desk therapist physical technician tech
    our the mr mrs ms miss mx jr sr ii iii practitioner physician surgeon orthodontist
    pediatrician dentist registered certified medical treatment financial billing scheduler
    lead chief director owner associate clinical patient care"""
)
# Words just before a lone first name that make it a person: "thanks Grace", "little bea".
NAME_CUES = _set(
    """thanks thank thx congrats congratulations congratulation welcome welcoming hi hey hello
    dear birthday bday little baby sweet brave patient sorry meet miss mrs mr ms grandma
    grandpa granny nana papa auntie uncle aunt cousin buddy friend sweetie kiddo tell ask hug
    dad mom mum son daughter husband wife sister brother niece nephew grandson granddaughter
    grandmother grandfather neighbor neighbour coworker co-worker boss partner fiance fiancee
    stepson stepdaughter"""
)
# Words after "the <Name>": "the Kowalski twins".
FAMILY_NOUNS = _set(
    """family families twins twin kids children boys girls household sisters brothers
    siblings clan triplets"""
)


# Famous people discussed as news: their names are not patients. A short illustrative list;
# public-office titles ("Senator X") are handled by PUBLIC_TITLES.
def _public_figures() -> frozenset[str]:
    with open(
        os.path.join(os.path.dirname(__file__), "data", "public_figures.txt"), encoding="utf-8"
    ) as fh:
        return frozenset(line.strip() for line in fh if line.strip() and not line.startswith("#"))


PUBLIC_FIGURES = _public_figures()
