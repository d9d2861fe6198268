from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Consent records, personal data export and retention (DSGVO)."""

    name = "initiativek.privacy"
    verbose_name = _("Datenschutz")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
