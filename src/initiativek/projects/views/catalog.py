"""The catalog of projects, ``/projekte/``: search, facets, sorting, pagination."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from initiativek.core.pagecache import cache_for_visitors
from initiativek.organizations import selectors as organization_selectors

from .. import selectors
from ..filters import (
    STATUS_BADGE,
    CatalogFilters,
    CatalogSearchForm,
    CountedPaginator,
    active_filters,
    catalog_choices,
    catalog_facets,
    catalog_search,
)

PAGE_SIZE = 20


@cache_for_visitors(
    name="catalog", version=selectors.catalog_version, timeout=selectors.CATALOG_CACHE_SECONDS
)
def catalog(request: HttpRequest) -> HttpResponse:
    """The filter state lives in the URL (GET), so every result can be bookmarked and shared."""
    choices = catalog_choices()
    filters = CatalogFilters.from_query(request.GET, choices)
    visible = selectors.project_list_for_catalog(user=request.user)
    audience = selectors.catalog_audience(user=request.user)
    result = catalog_search(visible, filters, audience=audience)
    projects = result.pages(visible.prefetch_related("topics"))
    paginator = CountedPaginator(projects, PAGE_SIZE, count=result.total)
    page = paginator.get_page(request.GET.get("seite"))
    facets = catalog_facets(result.counts, filters, choices)
    query = filters.query_string()
    return render(
        request,
        "projects/catalog.html",
        {
            "filters": filters,
            "form": CatalogSearchForm(filters),
            "facets": facets,
            "chips": active_filters(filters, facets),
            "page": page,
            "total": paginator.count,
            "query": query.removeprefix("?"),
            "catalog_url": reverse("projects:catalog"),
            "status_badge": STATUS_BADGE,
            "can_create": request.user.is_authenticated
            and organization_selectors.organization_list_editable_by(user=request.user).exists(),
        },
    )
