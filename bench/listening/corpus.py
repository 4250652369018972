"""Deterministic synthetic data for the listening benchmark.

Phrases look like what practices monitor: practice names, doctor names, services,
hashtags, handles and multiword topics. Posts are ~200 bytes of social-media-ish
English, some with emoji, accents and curly quotes (non-ASCII takes the slow fold
path, so leaving it out would flatter the matcher); about 1% contain a phrase.
"""

from __future__ import annotations

import random
from collections.abc import Iterator


def _words(text: str) -> list[str]:
    return text.split()


def _bars(text: str) -> list[str]:
    return text.split("|")


FIRST = _words(
    "james mary robert patricia john jennifer michael linda david elizabeth william barbara "
    "richard susan joseph jessica thomas sarah charles karen christopher lisa daniel nancy "
    "matthew betty anthony margaret mark sandra donald ashley steven kimberly paul emily "
    "andrew donna joshua michelle kenneth carol kevin amanda brian dorothy george melissa "
    "timothy deborah ronald stephanie edward rebecca jason sharon jeffrey laura ryan cynthia "
    "jacob kathleen gary amy nicholas angela eric shirley jonathan anna stephen brenda larry "
    "pamela justin emma scott nicole brandon helen benjamin samantha samuel katherine gregory "
    "christine alexander debra frank rachel patrick carolyn raymond janet jack catherine "
    "dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia nathan joyce "
    "henry virginia douglas victoria zachary kelly peter lauren kyle christina ethan joan "
    "walter evelyn noah judith jeremy megan christian andrea keith cheryl roger hannah terry "
    "jacqueline gerald martha harold gloria sean teresa austin ann carl sara arthur madison "
    "lawrence frances dylan kathryn jesse janice jordan jean bryan abigail billy alice joe "
    "judy bruce sophia gabriel grace logan denise albert amber willie doris alan marilyn juan "
    "danielle wayne beverly elijah isabella randy theresa roy diana vincent natalie ralph "
    "brittany eugene charlotte russell marie bobby kayla mason alexis philip lori louis "
    "alyssa sofia mateo lucia camila valentina santiago"
)

LAST = _words(
    "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez "
    "lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson "
    "white harris sanchez clark ramirez lewis robinson walker young allen king wright scott "
    "torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter "
    "roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart "
    "morris morales murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed "
    "kelly howard ramos kim cox ward richardson watson brooks chavez wood james bennett gray "
    "mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez "
    "powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales "
    "fisher vasquez simmons romero jordan patterson alexander hamilton graham reynolds "
    "griffin wallace moreno west cole hayes bryant herrera gibson ellis tran medina aguilar "
    "stevens murray ford castro marshall owens harrison fernandez mcdonald woods washington "
    "kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson "
    "porter hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer "
    "wagner black robertson boyd rose stone salazar fox warren mills meyer rice schmidt garza "
    "daniels ferguson nichols stephens soto weaver ryan gardner payne grant dunn kelley "
    "spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight elliott "
    "cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry "
    "perkins hoffman johnston matthews pena richards contreras willis carpenter lawrence "
    "sandoval guerrero george chapman rios estrada ortega watkins greene nunez wheeler valdez "
    "harper burke larson santiago maldonado morrison franklin carlson austin dominguez carr "
    "lawson jacobs obrien lynch singh vega bishop montgomery oliver jensen harvey williamson "
    "gilbert dean sims espinoza howell li wong reid hanson le mccoy garrett burton fuller "
    "wang weber welch rojas lucas"
)

TOWNS = _words(
    "springfield riverside fairview franklin greenville bristol clinton salem madison "
    "georgetown arlington ashland burlington manchester milton oxford dover hudson kingston "
    "lebanon marion newport oakland richmond winchester auburn dayton lexington jackson "
    "cleveland chester centerville clayton mount-vernon lakewood westfield brookside "
    "cedarville elmwood maplewood pinehurst rockport sunnyvale"
)

KINDS = _words(
    "family pediatric dental eye skin heart women's children's orthopedic spine sports urgent "
    "primary allergy ent sleep vein foot hand kidney cancer fertility smile vision hearing "
    "wellness"
)

SUFFIXES = _bars(
    "clinic|medical center|associates|health|care|medical group|practice|partners|"
    "physicians|specialists|dentistry|orthodontics|pediatrics|dermatology|cardiology"
)

SERVICES = _bars(
    "flu shot|covid booster|mri|ct scan|knee replacement|hip replacement|root canal|"
    "teeth whitening|dental implants|invisalign|lasik|cataract surgery|physical therapy|"
    "mammogram|colonoscopy|blood test|allergy testing|sleep study|botox|acne treatment|"
    "skin check|well child visit|sports physical|prenatal care|ivf|telehealth|urgent care|"
    "x-ray|ultrasound|vaccination|hearing aids|braces|wisdom teeth|back pain|migraine|"
    "diabetes care|weight loss|hormone therapy|vein treatment|carpal tunnel"
)

TOPICS = _bars(
    "measles outbreak|flu season|rsv cases|covid cases|heat stroke|air quality|tick bites|"
    "lyme disease|norovirus|whooping cough|allergy season|mental health|opioid crisis|"
    "food poisoning|pollen count|west nile|strep throat|pink eye|hand foot and mouth"
)

FILLER = _words(
    "the a to and of in is it you that for on was with my this at be so but just have not are "
    "we they today really got out get like one all what about when can up time know if me "
    "there now day people good new love back more going think some want great week morning "
    "night home work kids wife husband mom dad friend office appointment doctor nurse staff "
    "front desk wait waited hour hours minutes called phone insurance bill pain feeling "
    "better worse finally again still never always very pretty super so much thanks thank "
    "everyone anyone recommend recommendation looking for near town city downtown parking "
    "visit visited visiting check checkup results appointment booked scheduled rescheduled "
    "cancelled late early friendly rude kind helpful professional clean waiting room lobby "
    "coffee weekend monday tuesday friday sick cold cough fever headache tired sleep coffee "
    "weather rain sunny traffic school game news story article read saw heard said asked told "
    "honestly literally amazing terrible awesome okay fine nice bad worst best happy sad "
    "angry annoyed grateful"
)

EMOJI = ["🙂", "😷", "🤒", "❤️", "🙏", "😡", "💉", "🏥", "👍", "😭", "✨", "🤦‍♀️"]
NON_ASCII_WORDS = ["café", "señora", "niño", "clínica", "résumé", "naïve", "’s", "—", "…", "“ok”"]


def _title(words: str) -> str:
    return " ".join(w.capitalize() for w in words.split())


def make_phrases(n: int, seed: int = 1) -> list[str]:
    """Return `n` distinct realistic monitor phrases (deterministic)."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    makers = (
        lambda: f"Dr. {_title(rng.choice(FIRST))} {_title(rng.choice(LAST))}",
        lambda: (
            f"{_title(rng.choice(LAST))} {_title(rng.choice(KINDS))} {_title(rng.choice(SUFFIXES))}"
        ),
        lambda: (
            f"{_title(rng.choice(TOWNS))} {_title(rng.choice(KINDS))} {_title(rng.choice(SUFFIXES))}"
        ),
        lambda: (
            f"#{rng.choice(TOWNS).replace('-', '')}{rng.choice(SERVICES).replace(' ', '').replace('-', '')}"
        ),
        lambda: (
            f"@{rng.choice(FIRST)[:1]}{rng.choice(LAST)}{rng.choice(['md', 'dds', 'do', 'np', 'clinic', ''])}"
        ),
        lambda: f"{rng.choice(SERVICES)} {rng.choice(TOWNS)}",
        lambda: f"{rng.choice(TOPICS)} {rng.choice(TOWNS)}",
        lambda: (
            f"{_title(rng.choice(LAST))}-{_title(rng.choice(LAST))} {_title(rng.choice(SUFFIXES))}"
        ),
    )
    # the first few are the short, common ones every listening setup has
    for p in SERVICES + TOPICS:
        if len(out) < n and p not in seen:
            seen.add(p)
            out.append(p)
    attempts = 0
    while len(out) < n:
        attempts += 1
        p = rng.choice(makers)()
        key = p.lower()
        if key not in seen:
            seen.add(key)
            out.append(p)
        if attempts > n * 50:
            raise RuntimeError("phrase space exhausted")
    return out


def _filler(rng: random.Random, nbytes: int) -> list[str]:
    words: list[str] = []
    size = 0
    while size < nbytes:
        w = rng.choice(FILLER)
        if rng.random() < 0.08:
            w = w.capitalize()
        if rng.random() < 0.07:
            w += rng.choice([",", ".", "!", "?", "..."])
        words.append(w)
        size += len(w) + 1
    return words


def make_posts(
    n: int, phrases: list[str], seed: int = 2, hit_rate: float = 0.01, non_ascii_rate: float = 0.1
) -> Iterator[str]:
    """Yield `n` posts of about 200 bytes; `hit_rate` of them contain one phrase."""
    rng = random.Random(seed)
    for _ in range(n):
        words = _filler(rng, rng.randint(150, 240))
        if rng.random() < non_ascii_rate:
            for _ in range(rng.randint(1, 3)):
                words.insert(rng.randrange(len(words) + 1), rng.choice(EMOJI + NON_ASCII_WORDS))
        if phrases and rng.random() < hit_rate:
            p = rng.choice(phrases)
            r = rng.random()
            if r < 0.3:
                p = p.upper()
            elif r < 0.5:
                p = p.lower()
            words.insert(rng.randrange(len(words) + 1), p + rng.choice(["", "!", ",", "."]))
        yield " ".join(words)
