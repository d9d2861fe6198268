"""API filters. Organizations use the web directory's FilterSet unchanged, so both filter
alike; in the API a value of the wrong kind is a 400 problem instead of being ignored."""

import django_filters

from ..constants import RegionLevel
from ..filters import OrganizationFilter
from ..models import Region


class OrganizationApiFilter(OrganizationFilter):
    """The directory's filters. Region keys are free strings here (an unknown key finds
    nothing) rather than a choice list that would tie the schema to the database."""

    regierungsbezirk = django_filters.CharFilter(
        method="filter_region", max_length=12, help_text="Schlüssel, z. B. 084"
    )
    kreis = django_filters.CharFilter(
        method="filter_region", max_length=12, help_text="Schlüssel, z. B. 08436"
    )

    def __init__(self, *args, **kwargs):
        # Skip the directory's choice lists of regions (and their queries).
        django_filters.FilterSet.__init__(self, *args, **kwargs)


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(
        field_name="parent__key", max_length=12, help_text="Schlüssel der übergeordneten Einheit"
    )

    class Meta:
        model = Region
        fields = ["level", "parent"]
