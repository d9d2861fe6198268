"""Small helpers shared by views."""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, next to the field it names if any."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value: str | None) -> int | None:
    """A primary key from a query or form value, or None: only ASCII digits, and small enough
    for a database integer ("²" passes str.isdigit() and huge numbers overflow SQLite)."""
    if value is None or not _ID.fullmatch(value):
        return None
    return int(value)


def pagination_query(request, page_param: str) -> str:
    """The current query string without the page parameter, for pagination links."""
    params = request.GET.copy()
    params.pop(page_param, None)
    return params.urlencode()


__all__ = ["NON_FIELD_ERRORS", "add_validation_error", "pagination_query", "parse_id"]
