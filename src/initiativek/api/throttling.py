"""Rate limits for anonymous and signed-in clients.

Rates come from ``settings.API_THROTTLE_RATES`` (``{"anon": "60/min", "user": "600/min"}``,
environment ``API_THROTTLE_ANON`` / ``API_THROTTLE_USER``), read per request rather than at
import like DRF's defaults, so they can be changed in tests and by configuration. Counters live
in the default cache (Redis in production, so all workers share them). Exceeding a rate gives a
429 problem with ``Retry-After``.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRateMixin:
    scope: str

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope)


class ApiAnonRateThrottle(_SettingsRateMixin, AnonRateThrottle):
    """Anonymous clients, counted per IP address."""


class ApiUserRateThrottle(_SettingsRateMixin, UserRateThrottle):
    """Signed-in clients (token or session), counted per person."""
