"""Write src/bedside/compliance/engine/data/regexes.bin: the engine's regexes compiled
ahead of time for the running Python (see engine/compiled.py). Run after changing a
pattern:

    python bench/compliance/build_regexes.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from bedside.compliance.engine import compiled  # noqa: E402

if __name__ == "__main__":
    n = compiled.build()
    print(f"{n} patterns -> {compiled.PATH} for Python {sys.version.split()[0]}")
