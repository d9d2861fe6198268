import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from initiativek.core.text import search_text

from . import selectors
from .constants import MemberFilter, OrganizationKind
from .models import Organization


def _kreis_choices():
    groups: dict[str, list[tuple[str, str]]] = {}
    for kreis in selectors.region_kreise():
        group = kreis.parent.name if kreis.parent else ""
        groups.setdefault(group, []).append((kreis.key, kreis.name))
    return list(groups.items())


class OrganizationFilter(django_filters.FilterSet):
    """The directory's filters. Unknown values in the URL are ignored, not errors."""

    q = django_filters.CharFilter(label=_("Name oder Gemeindeschlüssel"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Art"), choices=OrganizationKind.choices, empty_label=_("alle Arten")
    )
    regierungsbezirk = django_filters.ChoiceFilter(
        label=_("Regierungsbezirk"), method="filter_region", empty_label=_("alle")
    )
    kreis = django_filters.ChoiceFilter(
        label=_("Kreis"), method="filter_region", empty_label=_("alle Kreise")
    )
    mitglied = django_filters.ChoiceFilter(
        label=_("Mitgliedschaft"),
        choices=MemberFilter.choices,
        method="filter_member",
        empty_label=_("alle Organisationen"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "regierungsbezirk", "kreis", "mitglied"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["regierungsbezirk"].extra["choices"] = [
            (region.key, region.name) for region in selectors.region_regierungsbezirke()
        ]
        self.filters["kreis"].extra["choices"] = _kreis_choices()
        self.form.fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        self.form.hide_optional = True  # every filter is optional; no "optional" markers

    def filter_q(self, queryset, name, value):
        value = search_text(value)
        if value.isdigit():
            return queryset.filter(Q(ags__startswith=value) | Q(search_name__contains=value))
        return queryset.filter(search_name__contains=value)

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__key__startswith=value)

    def filter_member(self, queryset, name, value):
        return queryset.filter(is_member=value == MemberFilter.MEMBER)
