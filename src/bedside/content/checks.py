"""Composer checks that are not about PHI: per-network limits, readability, links."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bedside.channels import limits

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")
TARGET_GRADE = 8.0


def syllables(word: str) -> int:
    """A dictionary-free estimate (vowel groups, silent e, -le endings)."""
    w = word.lower()
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    w = re.sub(r"^y", "", w)
    return max(1, len(_VOWELS.findall(w)))


@dataclass(frozen=True)
class Readability:
    grade: float
    words: int
    sentences: int
    ok: bool

    @property
    def label(self) -> str:
        if not self.words:
            return "No text yet"
        verdict = "easy to read" if self.ok else f"aim for grade {TARGET_GRADE:.0f} or lower"
        return f"Grade {self.grade:.1f} ({verdict})"


def readability(text: str) -> Readability:
    """Flesch–Kincaid grade level: 0.39·words/sentence + 11.8·syllables/word − 15.59."""
    without_urls = text
    for start, end in reversed(limits.find_urls(text)):
        without_urls = without_urls[:start] + without_urls[end:]
    words = _WORD.findall(without_urls)
    if not words:
        return Readability(0.0, 0, 0, True)
    sentences = max(1, len(_SENTENCE_END.findall(without_urls)))
    syl = sum(syllables(w) for w in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syl / len(words) - 15.59
    grade = max(0.0, round(grade, 1))
    return Readability(grade, len(words), sentences, grade <= TARGET_GRADE)


@dataclass(frozen=True)
class LinkCheck:
    url: str
    domain: str
    credible: bool
    message: str


def _domain(url: str) -> str:
    if "://" not in url:
        url = "https://" + url
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _matches(domain: str, allowed: str) -> bool:
    allowed = allowed.lower().lstrip(".")
    return domain == allowed or domain.endswith("." + allowed)


def link_checks(text: str, *, credible: list[str], own_site: str = "") -> list[LinkCheck]:
    """Each link's domain against the practice's list of credible health sources."""
    own = _domain(own_site) if own_site else ""
    results = []
    for start, end in limits.find_urls(text):
        url = text[start:end]
        domain = _domain(url)
        if own and _matches(domain, own):
            results.append(LinkCheck(url, domain, True, "The practice's own site."))
        elif any(_matches(domain, a) for a in credible):
            results.append(LinkCheck(url, domain, True, f"{domain} is on your credible list."))
        else:
            results.append(
                LinkCheck(
                    url,
                    domain,
                    False,
                    f"{domain} is not on your list of credible health sources: "
                    "check it, or link to a source such as cdc.gov or medlineplus.gov.",
                )
            )
    return results


@dataclass(frozen=True)
class Preview:
    channel_id: int
    channel_name: str
    network: str
    network_name: str
    text: str
    count: int
    limit: int | None
    ok: bool
    message: str


def preview(channel, text: str, media_count: int) -> Preview:  # type: ignore[no-untyped-def]
    result = limits.check(channel.type, text, media_count)
    return Preview(
        channel.pk,
        channel.name,
        channel.type,
        limits.NAMES.get(channel.type, channel.get_type_display()),
        text,
        result.count,
        result.limit,
        result.ok,
        result.message,
    )
