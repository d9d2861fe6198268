from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "initiativek.projects"
    verbose_name = _("Projekte")

    def ready(self) -> None:
        # The receivers that renew the catalog's cache version live in selectors; a worker or a
        # management command that never imports a view must still have them.
        from initiativek.projects import selectors  # noqa: F401
