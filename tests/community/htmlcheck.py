"""Parse rendered HTML and list anything that could run script."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "object", "embed", "svg", "math", "style", "link", "meta",
    "base", "form", "input", "button", "textarea", "select", "template", "img", "video", "audio",
    "source", "details", "marquee", "applet", "isindex", "keygen", "bgsound", "noscript",
}  # fmt: skip
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "#", "/")
PAYLOADS_FILE = Path(__file__).resolve().parents[1] / "data" / "xss_payloads.txt"


def payloads() -> list[str]:
    lines = PAYLOADS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("# ")]


class _Collector(HTMLParser):
    def __init__(self, allowed_tags: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag in DANGEROUS_TAGS and tag not in self.allowed_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"}:
                v = "".join((value or "").split()).lower()
                if v and not v.startswith(SAFE_SCHEMES) and ":" in v.split("/")[0]:
                    self.problems.append(f"{tag}[{name}={value!r}]")


def script_problems(html: str, allowed_tags: set[str] | None = None) -> list[str]:
    """Elements and attributes in `html` that could execute script (empty list: safe)."""
    collector = _Collector(allowed_tags or set())
    collector.feed(html)
    collector.close()
    return collector.problems
