from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "initiativek.cooperation"
    verbose_name = _("Kooperation")

    def ready(self) -> None:
        # Malformed recommendation weights stop the start with a clear message (issue 6),
        # instead of a server error on the first recommendation page.
        from .recommendations.config import match_weights

        match_weights()
        # The receivers that renew the version of the engine's input; a worker or a
        # management command that never imports a view must still have them.
        from .recommendations import changes  # noqa: F401
