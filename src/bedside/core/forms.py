"""Shared form plumbing for views that call services."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.Form, exc: ValidationError, *, field_for: Callable[[str], str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on the named field where the form has
    it (after `field_for` maps a service field name to a form field), else on the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = field_for(field) if field_for else field
        form.add_error(name if name in form.fields else None, errors)
