"""Page-number pagination: ``?seite=N`` (from 1) and ``?pro_seite=N`` (1–100, default 25).

The answer is ``{"count", "next", "previous", "results"}``. Lists must have a stable order
ending in a unique field so pages neither repeat nor skip items. A page beyond the last is a
404 problem.
"""

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_query_param = "seite"
    page_size_query_param = "pro_seite"
    page_size = 25
    max_page_size = 100
    page_query_description = "Seitennummer, beginnend mit 1."
    page_size_query_description = "Einträge pro Seite (1 bis 100, Standard 25)."
