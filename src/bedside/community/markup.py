"""Markdown written by people outside the practice, rendered to safe HTML.

markdown-it with raw HTML disabled turns Markdown into HTML (any `<tag>` in the
input stays text); nh3 (ammonia) then keeps only a short list of tags, drops
every attribute but href/title/alt, allows only http(s)/mailto links and adds
rel="nofollow ugc noopener" to each link. Images are not allowed in posts.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    "image"
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(text: str) -> str:
    """Markdown → sanitised HTML. Headings are shifted down to h3/h4 (the page owns h1/h2)."""
    html = _md.render(text or "")
    for level in (1, 2):
        html = html.replace(f"<h{level}>", "<h3>").replace(f"</h{level}>", "</h3>")
    for level in (5, 6):
        html = html.replace(f"<h{level}>", "<h4>").replace(f"</h{level}>", "</h4>")
    return sanitise_html(html)


def plain_summary(text: str, limit: int = 280) -> str:
    """A text-only summary for feeds and Open Graph descriptions."""
    stripped = nh3.clean(render_markdown(text), tags=set()).replace("\n", " ").strip()
    stripped = " ".join(stripped.split())
    return stripped if len(stripped) <= limit else stripped[: limit - 1].rstrip() + "…"
