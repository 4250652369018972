"""`python -m bedside.compliance.engine [FILE] [--context C.json] [--format jsonl|table]`."""

from .cli import main

raise SystemExit(main())
