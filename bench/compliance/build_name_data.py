"""Build the engine's compact name/word data file (run once; the output is committed).

Sources (all installable offline):
- US Census 1990 first and last name files, as shipped by the `names` package (MIT;
  the Census data itself is US-government public domain).
- wamerican (SCOWL word list, /usr/share/dict/american-english; permissive licence,
  copyright Kevin Atkinson): which lowercase forms are ordinary English words.
- wordfreq (code Apache-2.0, data CC BY-SA 4.0): how common such a word is.

Output: src/bedside/compliance/engine/data/names.txt.gz, five sections separated by
a line "%%": first names, first names that are also ordinary words, surnames, ordinary
lowercase words (zipf >= 2.5), very common words (zipf >= 5). Deterministic output.

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


def main() -> None:
    words = {
        w.strip()
        for w in DICT.read_text().splitlines()
        if w.strip().isalpha() and w.strip().islower()
    }
    first = set(_census("dist.female.first")) | set(_census("dist.male.first"))
    last = set(_census("dist.all.last"))
    first_word = {n for n in first if n in words and n not in NAME_FIRST}
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
