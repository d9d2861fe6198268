"""Shared pieces of the API's write operations: bodies that name unknown fields are refused,
validated values are split for the services like the web forms split theirs, and the
services' validation errors keep their field names (for the problem document's pointers)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictSerializer(serializers.Serializer):
    """Rejects fields it does not know instead of ignoring them: a misspelt field name must not
    look like a successful save."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unbekanntes Feld.")] for name in unknown}
                )
        return super().to_internal_value(data)


def split_for_service(
    validated: dict, *, relation_fields: tuple[str, ...], leave_out: str
) -> tuple[dict, dict]:
    """(model field values, related values) for a service, like the web forms' ``split``;
    ``leave_out`` (the owner or host, passed to the service separately) is dropped."""
    values = {key: value for key, value in validated.items() if key != leave_out}
    data = {key: value for key, value in values.items() if key not in relation_fields}
    relations = {key: value for key, value in values.items() if key in relation_fields}
    return data, relations


def as_api_error(exc: ValidationError) -> serializers.ValidationError:
    """A model or service validation error with its field names kept (for the pointers)."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})
