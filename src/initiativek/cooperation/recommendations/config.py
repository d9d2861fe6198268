"""The weights of the partner recommendations.

Precedence, each layer overriding the one before it signal by signal:

1. the engine defaults (``matching.Weights``),
2. the setting ``COOPERATION_MATCH_WEIGHTS`` – a mapping of signal names to numbers that
   ``conf/base.py`` reads from the environment; ``CooperationConfig.ready()`` validates it, so a
   malformed value stops the start with a message that names the bad entry,
3. the team's row ``MatchWeights`` in the Django admin – its filled-in fields; an empty field
   keeps the value of the layers below.

The index signature contains the effective weights, so a change in the admin takes effect with
the next rebuild of the index, without a restart.
"""

import logging
from collections.abc import Mapping
from dataclasses import replace

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from initiativek.cooperation.matching import Weights

logger = logging.getLogger(__name__)

SETTING = "COOPERATION_MATCH_WEIGHTS"


def weights_from_setting(value: object) -> Weights:
    """The engine weights for a setting value; ``None`` or empty: the engine defaults.

    Raises ImproperlyConfigured for anything but a mapping of known names to finite,
    non-negative numbers.
    """
    if value is None or value == "" or value == {}:
        return Weights()
    if not isinstance(value, Mapping):
        raise ImproperlyConfigured(
            f"{SETTING} must be a mapping of signal names to numbers, got {type(value).__name__}."
        )
    for key in value:
        if not isinstance(key, str):
            raise ImproperlyConfigured(f"{SETTING}: the name {key!r} is not a text.")
    try:
        return Weights.from_mapping(value)
    except (TypeError, ValueError) as exc:
        raise ImproperlyConfigured(f"{SETTING}: {exc}") from exc


def match_weights() -> Weights:
    """Engine defaults ← the setting (read on every call, never at import; no database, so
    ``CooperationConfig.ready()`` validates the setting with it)."""
    return weights_from_setting(getattr(settings, SETTING, None))


def effective_match_weights() -> Weights:
    """The weights the index is built with: engine defaults ← setting ← the team's
    ``MatchWeights`` row.

    One query. A row that is invalid nonetheless (written around its validation) is logged
    and ignored, so the recommendations keep working with the setting's weights.
    """
    from initiativek.cooperation.models import MatchWeights

    weights = match_weights()
    row = MatchWeights.objects.first()
    if row is None:
        return weights
    try:
        return replace(weights, **row.overrides())
    except (TypeError, ValueError):
        logger.exception("MatchWeights row %s is invalid and ignored", row.pk)
        return weights
