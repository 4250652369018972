"""Bedside's PHI and patient-disclosure scanner. Pure Python: no Django import.

    from bedside.compliance.engine import scan
    report = scan("Thanks Maria, glad the new meds are working!", kind="review_reply",
                  context={"practice_name": "Raman Family Dental", "staff": ["Dr. Priya Raman"]})
    report.verdict            # "block"
    report.to_dict()          # {"verdict": ..., "findings": [...]}

Name data loads lazily on the first scan; importing this package is cheap.
"""

from .context import Consent, Context
from .errors import ContextError, TextTooLarge
from .report import CATEGORIES, Finding, Report
from .scanner import KINDS, MAX_TEXT_BYTES, scan

__all__ = [
    "CATEGORIES",
    "KINDS",
    "MAX_TEXT_BYTES",
    "Consent",
    "Context",
    "ContextError",
    "Finding",
    "Report",
    "TextTooLarge",
    "scan",
]
