"""Build the engine's medical word list, data/care_lexicon.txt.gz (run once; output committed).

Single words that, in a sentence about one person, name their care: conditions, injuries
and symptoms, and the medicines a US patient is likely to name. The hand-curated phrases
and everyday words ("cleaning", "shots", "the payment plan") are in data/care_terms.txt.

Sources (installable offline; bench-only, not needed at run time):
- ICD-10-CM 2026 tabular list (CMS/NCHS, US-government public domain), as shipped by
  `simple-icd-10-cm` (MIT): words of the code titles in the chapters of diseases,
  symptoms and injuries (A00-T88; not external causes V-Y or health factors Z), used in
  at least 3 titles, rarer in general English than zipf 3.5 (wordfreq), 5+ letters, not a
  given name. "Otitis", "meniscus", "tendinitis", "croup", "jaundice".
- Drug names (`drug-named-entity-recognition`, MIT; names and synonyms from DrugBank's
  open vocabulary (CC0), MeSH and MedlinePlus, public domain): every single-word name or
  synonym of a medicine that has a MedlinePlus page (the drugs US patients are given),
  5+ letters, rarer than zipf 3.0. "Amoxicillin", "sertraline", "albuterol".

    pip install -r bench/requirements-namedata.txt
    python bench/compliance/build_care_data.py
"""

from __future__ import annotations

import bz2
import gzip
import importlib.util
import pickle
import re
from collections import Counter
from pathlib import Path

from wordfreq import zipf_frequency

ENGINE_DATA = Path(__file__).resolve().parents[2] / "src/bedside/compliance/engine/data"
OUT = ENGINE_DATA / "care_lexicon.txt.gz"
# ICD-10-CM boilerplate and anatomy-of-direction words: in a title, not care on their own.
ICD_STOP = set(
    """unspecified sequela subsequent encounter excludes includes classified elsewhere initial
    specified bilateral unilateral laterality routine healing displaced nondisplaced distal
    proximal lateral medial anterior posterior superior inferior dorsal ventral""".split()
)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    assert spec and spec.origin, f"pip install -r bench/requirements-namedata.txt ({name})"
    return Path(spec.origin).parent


def _given_names() -> set[str]:
    with gzip.open(ENGINE_DATA / "names.txt.gz", "rt", encoding="utf-8") as fh:
        first = fh.read().split("\n%%\n")[0]
    return set(first.split())


def icd_words(given: set[str]) -> set[str]:
    xml = (_package_dir("simple_icd_10_cm") / "data/icd10c-tabular-April-1-2026.xml").read_text()
    counts: Counter[str] = Counter()
    for code, desc in re.findall(r"<name>([A-Z][0-9A-Z.]*)</name>\s*<desc>(.*?)</desc>", xml):
        if code[0] in "VWXYZ" or code[:3] > "T88":
            continue
        counts.update(set(re.findall(r"[a-z][a-z\-]+", desc.lower())))
    return {
        w
        for w, n in counts.items()
        if n >= 3
        and len(w) >= 5
        and w not in ICD_STOP
        and w not in given
        and zipf_frequency(w, "en") < 3.5
    }


def drug_words() -> set[str]:
    path = _package_dir("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(path) as fh:
        data = pickle.load(fh)  # noqa: S301  (the package's own bundled dictionary)
    with_page = {
        name
        for name, d in data["drug_canonical_to_data"].items()
        if isinstance(d, dict) and d.get("medline_plus_id")
    }
    out = set()
    for variant, canonical in data["drug_variant_to_canonical"].items():
        names = canonical if isinstance(canonical, list | set | tuple) else [canonical]
        if (
            any(c in with_page for c in names)
            and variant.isalpha()
            and variant.isascii()
            and len(variant) >= 5
            and zipf_frequency(variant, "en") < 3.0
        ):
            out.add(variant)
    return out


def main() -> None:
    given = _given_names()
    icd, drugs = icd_words(given), drug_words() - given
    words = sorted(icd | drugs)
    OUT.write_bytes(gzip.compress(("\n".join(words) + "\n").encode(), compresslevel=9, mtime=0))
    print(OUT, f"{len(icd)} ICD-10-CM words, {len(drugs)} medicines, {len(words)} in all,",
          OUT.stat().st_size, "bytes")  # fmt: skip


if __name__ == "__main__":
    main()
