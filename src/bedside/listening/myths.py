"""Bedside's built-in list of common health myths: the "misinformation" monitor.

Each myth has the phrases people write when repeating it, a one-line correction
and a source page at cdc.gov, nih.gov, who.int or medlineplus.gov. The phrases
compile into the same matcher as the practices' monitors:

    specs = [*practice_specs, *myth_specs()]
    matcher = build_matcher(specs)
    for m in matcher.match(text):
        myth = myth_for_match(m)     # Myth or None: sets a mention's misinformation flag

Myth monitors belong to the reserved practice id MYTHS_PRACTICE_ID (0) and have
negative monitor ids (-1, -2, ...), so they never collide with database ids.
A match is a signal for a person to review, not a verdict: "study finds no
benefit of ivermectin for covid" matches too. Source links point at the agency's
page for the topic; no network here, so they were not fetched: check them in CI
with network or by hand when the list changes.
"""

from __future__ import annotations

from typing import NamedTuple

from .matcher import Match, MonitorSpec

MYTHS_PRACTICE_ID = 0

WHO_VACCINE_MYTHS = "https://www.who.int/news-room/questions-and-answers/item/vaccines-and-immunization-myths-and-misconceptions"
WHO_COVID_MYTHS = (
    "https://www.who.int/emergencies/diseases/novel-coronavirus-2019/advice-for-public/myth-busters"
)
MEDLINE_COVID_VACCINES = "https://medlineplus.gov/covid19vaccines.html"
MEDLINE_COVID = "https://medlineplus.gov/covid19coronavirusdisease2019.html"
CDC_ANTIBIOTICS = "https://www.cdc.gov/antibiotic-use/index.html"
CDC_FLU = "https://www.cdc.gov/flu/index.html"
MEDLINE_CANCER = "https://medlineplus.gov/cancer.html"
MEDLINE_SUN = "https://medlineplus.gov/sunexposure.html"


class Myth(NamedTuple):
    key: str
    claim: str
    phrases: tuple[str, ...]
    correction: str
    source: str


def _m(key: str, claim: str, phrases: str, correction: str, source: str) -> Myth:
    return Myth(key, claim, tuple(p.strip() for p in phrases.split("|")), correction, source)


MYTHS: tuple[Myth, ...] = (
    _m(
        "vaccines-autism",
        "Vaccines cause autism",
        "vaccines cause autism|vaccine causes autism|vaccines caused autism|vaccine caused autism|"
        "mmr causes autism|mmr caused autism|vaccines give kids autism",
        "Many large studies in millions of children found no link between vaccines, including MMR, and autism.",
        WHO_VACCINE_MYTHS,
    ),
    _m(
        "flu-shot-gives-flu",
        "The flu shot gives you the flu",
        "flu shot gives you the flu|flu shot gave me the flu|flu vaccine gives you the flu|"
        "flu vaccine gave me the flu|got the flu from the flu shot",
        "Flu shots contain inactivated virus or a single protein and cannot cause flu; a sore arm or mild fever can follow.",
        CDC_FLU,
    ),
    _m(
        "antibiotics-for-viruses",
        "Antibiotics treat colds and flu",
        "antibiotics for a cold|antibiotics for my cold|antibiotics cure colds|antibiotics for the flu|"
        "antibiotics kill viruses|antibiotics for a virus",
        "Antibiotics do not work on viruses such as colds and flu; taking them when not needed breeds resistance.",
        CDC_ANTIBIOTICS,
    ),
    _m(
        "green-mucus-antibiotics",
        "Green mucus means you need antibiotics",
        "green mucus means infection|green snot means infection|green mucus means you need antibiotics|"
        "green phlegm means you need antibiotics",
        "The colour of mucus does not tell a viral from a bacterial infection.",
        CDC_ANTIBIOTICS,
    ),
    _m(
        "body-resistant-to-antibiotics",
        "Your body becomes resistant to antibiotics",
        "my body is resistant to antibiotics|my body became immune to antibiotics|body becomes immune to antibiotics",
        "Bacteria, not people, become resistant to antibiotics; misuse spreads resistant germs to everyone.",
        "https://www.who.int/news-room/fact-sheets/detail/antimicrobial-resistance",
    ),
    _m(
        "natural-immunity-better",
        "Catching the disease is better than the vaccine",
        "natural immunity is better than vaccines|natural immunity is better than the vaccine|"
        "better to catch it naturally",
        "Gaining immunity by infection risks severe illness and death; vaccines give protection without that risk.",
        WHO_VACCINE_MYTHS,
    ),
    _m(
        "too-many-vaccines",
        "Too many vaccines overload a child's immune system",
        "too many vaccines at once|vaccines overload the immune system|too many shots too soon",
        "Children's immune systems handle the recommended schedule safely; delaying shots leaves them unprotected longer.",
        "https://medlineplus.gov/immunization.html",
    ),
    _m(
        "vaccine-toxins",
        "Vaccines are full of toxins and mercury",
        "vaccines contain toxins|toxins in vaccines|mercury in vaccines|vaccines are poison",
        "Vaccine ingredients are present in tiny, safe amounts; thimerosal was removed from routine childhood vaccines in 2001.",
        "https://www.cdc.gov/vaccine-safety/index.html",
    ),
    _m(
        "mrna-changes-dna",
        "mRNA vaccines change your DNA",
        "covid vaccine changes your dna|mrna changes your dna|vaccine alters your dna|vaccine changes your dna|"
        "mrna vaccines alter dna",
        "mRNA never enters the nucleus, where DNA is kept, and is broken down within days; it cannot change DNA.",
        MEDLINE_COVID_VACCINES,
    ),
    _m(
        "vaccine-microchip",
        "Vaccines contain microchips",
        "microchips in vaccines|vaccine microchip|vaccines have microchips|microchip in the vaccine",
        "Vaccines do not contain microchips or any tracking device.",
        MEDLINE_COVID_VACCINES,
    ),
    _m(
        "vaccine-magnetic",
        "Vaccines make you magnetic",
        "vaccine makes you magnetic|vaccines make you magnetic|magnetic after the vaccine",
        "Vaccines contain no metal that could make a body magnetic; the dose is a fraction of a millilitre.",
        MEDLINE_COVID_VACCINES,
    ),
    _m(
        "vaccine-shedding",
        "Vaccinated people shed the vaccine",
        "vaccine shedding|shedding from vaccinated|vaccinated people shed",
        "mRNA and protein vaccines contain no live virus and cannot shed to other people.",
        MEDLINE_COVID_VACCINES,
    ),
    _m(
        "vaccines-infertility",
        "Vaccines cause infertility",
        "covid vaccine causes infertility|vaccine causes infertility|vaccines cause infertility|"
        "vaccine made me infertile",
        "No evidence shows that COVID-19 or other routine vaccines cause infertility in women or men.",
        WHO_VACCINE_MYTHS,
    ),
    _m(
        "hpv-vaccine-promiscuity",
        "The HPV vaccine encourages sex",
        "hpv vaccine encourages sex|hpv vaccine promotes promiscuity|hpv vaccine makes kids promiscuous",
        "Studies show HPV vaccination does not change sexual behaviour; it prevents cancers caused by HPV.",
        "https://www.cdc.gov/hpv/index.html",
    ),
    _m(
        "pregnancy-flu-shot",
        "Pregnant women should not get the flu shot",
        "pregnant women shouldn't get the flu shot|flu shot is unsafe during pregnancy|"
        "no flu shot while pregnant",
        "The flu shot is recommended during pregnancy and protects both mother and baby.",
        CDC_FLU,
    ),
    _m(
        "measles-harmless",
        "Measles is harmless",
        "measles is harmless|measles is just a rash|measles is not dangerous|measles isn't dangerous",
        "Measles can cause pneumonia, brain swelling and death, and is among the most contagious diseases.",
        "https://www.who.int/news-room/fact-sheets/detail/measles",
    ),
    _m(
        "chickenpox-party",
        "Chickenpox parties are a safe way to get immunity",
        "chickenpox party|pox party",
        "Deliberate infection risks serious complications; the chickenpox vaccine protects safely.",
        "https://www.cdc.gov/chickenpox/index.html",
    ),
    _m(
        "covid-just-flu",
        "COVID-19 is just a cold or the flu",
        "covid is just a cold|covid is just the flu|covid is just a flu",
        "COVID-19 has caused far more severe illness and deaths than seasonal flu, and can cause long COVID.",
        MEDLINE_COVID,
    ),
    _m(
        "ivermectin-covid",
        "Ivermectin treats COVID-19",
        "ivermectin cures covid|ivermectin for covid|ivermectin treats covid",
        "Large clinical trials found ivermectin does not treat COVID-19.",
        MEDLINE_COVID,
    ),
    _m(
        "hydroxychloroquine-covid",
        "Hydroxychloroquine cures COVID-19",
        "hydroxychloroquine cures covid|hydroxychloroquine for covid",
        "Clinical trials found hydroxychloroquine does not help people with COVID-19.",
        MEDLINE_COVID,
    ),
    _m(
        "masks-oxygen",
        "Masks cause oxygen deprivation",
        "masks cause oxygen deprivation|masks lower your oxygen|masks reduce oxygen|masks cause co2 poisoning",
        "Well-fitted masks do not lower blood oxygen or cause carbon dioxide poisoning in healthy people.",
        WHO_COVID_MYTHS,
    ),
    _m(
        "drinking-bleach",
        "Drinking bleach or MMS cures disease",
        "drinking bleach cures|miracle mineral solution|mms cures|chlorine dioxide cures",
        "Drinking bleach or chlorine dioxide (MMS) is poisoning, not treatment.",
        WHO_COVID_MYTHS,
    ),
    _m(
        "vitamin-c-colds",
        "Vitamin C cures or prevents colds",
        "vitamin c cures colds|vitamin c cures the common cold|vitamin c prevents colds|vitamin c cures a cold",
        "For most people vitamin C does not prevent colds and at best shortens them slightly.",
        "https://ods.od.nih.gov/factsheets/VitaminC-Consumer/",
    ),
    _m(
        "cold-weather-colds",
        "Cold weather or wet hair causes colds",
        "cold weather causes colds|wet hair gives you a cold|cold weather gives you a cold",
        "Colds are caused by viruses; cold or wet weather does not cause them by itself.",
        "https://medlineplus.gov/commoncold.html",
    ),
    _m(
        "feed-a-cold",
        "Feed a cold, starve a fever",
        "starve a fever",
        "Both colds and fevers call for plenty of fluids and eating as usual when you can.",
        "https://medlineplus.gov/fever.html",
    ),
    _m(
        "teething-fever",
        "Teething causes a high fever",
        "teething causes high fever|teething causes a high fever|teething fever",
        "Teething may warm a baby slightly but does not cause a high fever; a high fever needs a doctor.",
        "https://medlineplus.gov/infantandnewborncare.html",
    ),
    _m(
        "sugar-hyperactivity",
        "Sugar makes children hyperactive",
        "sugar makes kids hyperactive|sugar causes hyperactivity|sugar causes adhd",
        "Controlled studies do not show that sugar causes hyperactivity or ADHD.",
        "https://www.nimh.nih.gov/health/topics/attention-deficit-hyperactivity-disorder-adhd",
    ),
    _m(
        "bad-parenting-autism",
        "Bad parenting causes autism",
        "bad parenting causes autism|refrigerator mother|cold mothers cause autism",
        "Autism is a developmental condition with strong genetic roots; parenting does not cause it.",
        "https://www.cdc.gov/autism/index.html",
    ),
    _m(
        "knuckle-cracking-arthritis",
        "Cracking your knuckles causes arthritis",
        "cracking knuckles causes arthritis|cracking your knuckles causes arthritis|knuckle cracking causes arthritis",
        "Studies have not found that knuckle cracking causes arthritis.",
        "https://medlineplus.gov/osteoarthritis.html",
    ),
    _m(
        "dim-light-eyes",
        "Reading in dim light ruins your eyes",
        "reading in dim light ruins your eyes|reading in the dark damages your eyes|reading in the dark ruins your eyes",
        "Reading in dim light can tire the eyes but does not damage them.",
        "https://www.nei.nih.gov/learn-about-eye-health",
    ),
    _m(
        "ten-percent-brain",
        "We only use 10% of our brain",
        "we only use 10% of our brain|we only use 10 percent of our brain|only use 10% of your brain",
        "Brain imaging shows we use virtually all of the brain, just not all at once.",
        "https://www.ninds.nih.gov/health-information/public-education/brain-basics/brain-basics-know-your-brain",
    ),
    _m(
        "gum-seven-years",
        "Swallowed gum stays in your stomach for seven years",
        "gum stays in your stomach for seven years|gum stays in your stomach for 7 years|gum takes 7 years to digest",
        "Swallowed gum is not digested but passes out of the body within days.",
        "https://medlineplus.gov/digestivediseases.html",
    ),
    _m(
        "shaving-thicker-hair",
        "Shaving makes hair grow back thicker",
        "shaving makes hair grow back thicker|shaving makes your hair thicker",
        "Shaving cuts hair at the surface and does not change its thickness, colour or growth.",
        "https://medlineplus.gov/hairproblems.html",
    ),
    _m(
        "base-tan",
        "A base tan protects your skin",
        "base tan protects|a base tan prevents sunburn|tanning beds are safe|healthy tan",
        "Any tan is skin damage; a base tan gives little protection and tanning beds raise melanoma risk.",
        MEDLINE_SUN,
    ),
    _m(
        "cloudy-sunscreen",
        "You don't need sunscreen on cloudy days",
        "you don't need sunscreen on cloudy days|no sunscreen on cloudy days|don't need sunscreen when it's cloudy",
        "Most UV rays pass through clouds; use sunscreen on cloudy days too.",
        MEDLINE_SUN,
    ),
    _m(
        "sunscreen-cancer",
        "Sunscreen causes cancer",
        "sunscreen causes cancer|sunscreen gives you cancer",
        "Sunscreen lowers the risk of skin cancer; no evidence shows it causes cancer.",
        MEDLINE_SUN,
    ),
    _m(
        "deodorant-breast-cancer",
        "Deodorant causes breast cancer",
        "deodorant causes breast cancer|antiperspirants cause breast cancer|antiperspirant causes breast cancer",
        "Research has found no link between antiperspirants or deodorants and breast cancer.",
        "https://medlineplus.gov/breastcancer.html",
    ),
    _m(
        "mammograms-spread-cancer",
        "Mammograms cause or spread cancer",
        "mammograms spread cancer|mammograms cause cancer|mammogram spreads cancer",
        "A mammogram uses a very low dose of radiation and does not spread cancer; it finds cancer early.",
        "https://medlineplus.gov/mammography.html",
    ),
    _m(
        "biopsy-spreads-cancer",
        "A biopsy or surgery spreads cancer",
        "biopsy spreads cancer|surgery spreads cancer|air makes cancer spread",
        "Surgeons take steps to prevent spread; biopsies and surgery do not make cancer spread.",
        MEDLINE_CANCER,
    ),
    _m(
        "sugar-feeds-cancer",
        "Sugar feeds cancer",
        "sugar feeds cancer|cutting sugar cures cancer|starve cancer with no sugar",
        "All cells use sugar; cutting sugar does not starve cancer, though a healthy weight lowers risk.",
        MEDLINE_CANCER,
    ),
    _m(
        "cancer-contagious",
        "Cancer is contagious",
        "cancer is contagious|you can catch cancer",
        "Cancer does not spread from person to person, although some viruses that raise cancer risk do.",
        MEDLINE_CANCER,
    ),
    _m(
        "sugar-causes-diabetes",
        "Eating sugar causes diabetes",
        "eating sugar causes diabetes|sugar causes diabetes|too much sugar gives you diabetes",
        "Type 1 diabetes is autoimmune; type 2 risk comes from weight, genes and inactivity, not sugar alone.",
        "https://www.cdc.gov/diabetes/index.html",
    ),
    _m(
        "heart-disease-men",
        "Heart disease is a man's disease",
        "heart disease only affects men|women don't get heart attacks|heart attacks only happen to men",
        "Heart disease is the leading cause of death for women as well as men.",
        "https://www.cdc.gov/heart-disease/index.html",
    ),
    _m(
        "swallow-tongue-seizure",
        "People can swallow their tongue during a seizure",
        "swallow their tongue during a seizure|swallow your tongue during a seizure|"
        "put something in their mouth during a seizure",
        "Nobody can swallow their tongue; never put anything in their mouth, turn them on their side.",
        "https://www.cdc.gov/epilepsy/index.html",
    ),
    _m(
        "butter-on-burns",
        "Put butter on a burn",
        "butter on burns|butter on a burn",
        "Cool a burn under cool running water for 20 minutes; butter traps heat and raises infection risk.",
        "https://medlineplus.gov/burns.html",
    ),
    _m(
        "nosebleed-head-back",
        "Tilt your head back for a nosebleed",
        "tilt your head back nosebleed|head back for a nosebleed",
        "Lean forward and pinch the soft part of the nose for 10 minutes; tilting back sends blood down the throat.",
        "https://medlineplus.gov/nosebleeds.html",
    ),
    _m(
        "hiv-casual-contact",
        "HIV spreads by touching, kissing or mosquitoes",
        "hiv spread by touching|you can get hiv from kissing|hiv from mosquitoes|hiv from a toilet seat",
        "HIV does not spread through touch, saliva, toilet seats or insect bites.",
        "https://www.cdc.gov/hiv/index.html",
    ),
    _m(
        "hiv-death-sentence",
        "HIV is a death sentence",
        "hiv is a death sentence",
        "With treatment people with HIV live long lives, and an undetectable viral load means HIV is not transmitted.",
        "https://www.who.int/news-room/fact-sheets/detail/hiv-aids",
    ),
    _m(
        "depression-weakness",
        "Depression is weakness or a choice",
        "depression is a choice|depression is just sadness|just snap out of it|depression is weakness",
        "Depression is a common, treatable illness, not a weakness or a choice.",
        "https://www.nimh.nih.gov/health/topics/depression",
    ),
    _m(
        "vaping-harmless",
        "Vaping is harmless water vapour",
        "vaping is harmless|vaping is just water vapor|vaping is just water vapour|vapes are harmless",
        "E-cigarette aerosol contains nicotine and harmful chemicals; it is not harmless water vapour.",
        "https://medlineplus.gov/ecigarettes.html",
    ),
    _m(
        "detox-cleanse",
        "Detox cleanses flush out toxins",
        "detox cleanse removes toxins|juice cleanse detox|detox your liver|flush out toxins",
        "The liver and kidneys remove waste; detox products have little evidence and some can harm.",
        "https://www.nccih.nih.gov/health/detoxes-and-cleanses-what-you-need-to-know",
    ),
    _m(
        "homeopathy-cures",
        "Homeopathy cures disease or replaces vaccines",
        "homeopathic vaccines|homeopathy cures|homeopathic vaccine",
        "Homeopathy has not been shown to work for any condition and cannot replace vaccines.",
        "https://www.nccih.nih.gov/health/homeopathy",
    ),
    _m(
        "fluoride-poison",
        "Fluoride in tap water is poison",
        "fluoride is poison|fluoride in water is poison|water fluoridation is poison",
        "At the level used in community water, fluoride prevents tooth decay; harms reported in studies involved higher levels.",
        "https://www.cdc.gov/fluoridation/index.html",
    ),
)


def myth_monitor_id(index: int) -> int:
    return -(index + 1)


def myth_specs() -> list[MonitorSpec]:
    """One MonitorSpec per myth, for `build_matcher` next to the practices' monitors."""
    return [
        MonitorSpec(MYTHS_PRACTICE_ID, myth_monitor_id(i), list(myth.phrases))
        for i, myth in enumerate(MYTHS)
    ]


_BY_MONITOR = {myth_monitor_id(i): myth for i, myth in enumerate(MYTHS)}


def myth_for_match(match: Match) -> Myth | None:
    """The myth a match stands for, or None for a practice's own monitor."""
    if match.practice_id != MYTHS_PRACTICE_ID:
        return None
    return _BY_MONITOR.get(match.monitor_id)
