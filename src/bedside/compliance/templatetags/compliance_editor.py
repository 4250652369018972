"""`{% compliance_editor %}`: the guard's editor component (see compliance/_editor.html)."""

from __future__ import annotations

from typing import Any

from django import template

from bedside.compliance.editor import editor_vals, segments, shown_findings

register = template.Library()


def editor_context(
    *,
    name: str = "text",
    label: str = "Text",
    text: str | None = "",
    kind: str = "",
    channel: str = "",
    check: Any = None,
    editor_id: str = "",
    error: str = "",
    help_text: str = "",
) -> dict[str, Any]:
    text = text or ""
    editor_id = editor_id or f"editor-{name}"
    shown = shown_findings(text, check.findings) if check is not None else []
    return {
        "editor_id": editor_id,
        "name": name,
        "label": label,
        "text": text,
        "kind": kind,
        "channel": channel,
        "check": check,
        "shown": shown,
        "segments": segments(text, shown),
        "vals": editor_vals(
            editor_id=editor_id, name=name, label=label, kind=kind, channel=channel
        ),
        "error": error,
        "help_text": help_text,
    }


@register.inclusion_tag("compliance/_editor.html", takes_context=True)
def compliance_editor(context, **kwargs: Any) -> dict[str, Any]:
    data = editor_context(**kwargs)
    data["request"] = context.get("request")
    data["csrf_token"] = context.get("csrf_token")
    return data
