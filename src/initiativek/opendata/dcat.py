"""DCAT-AP.de style metadata of the open data sets as JSON-LD.

One ``dcat:Catalog`` with a ``dcat:Dataset`` per data set and a ``dcat:Distribution`` per
format. Licenses are URIs of the DCAT-AP.de license vocabulary; formats and media types the EU
file-type authority and IANA URIs. The columns are described with the W3C CSVW vocabulary
(``csvw:tableSchema``), so a machine reader finds name, type and meaning of every column.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .datasets import Dataset

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "csvw": "http://www.w3.org/ns/csvw#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
GERMAN = {"@id": "http://publications.europa.eu/resource/authority/language/DEU"}

# (format in the URL, query string, EU file type, IANA media type)
DISTRIBUTIONS = (
    ("csv", "", "CSV", "text/csv"),
    ("csv", "?trenner=semikolon", "CSV", "text/csv"),
    ("json", "", "JSON", "application/json"),
    ("xlsx", "", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _moment(value: datetime | None) -> dict | None:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"} if value else None


def _distribution_title(fmt: str, query: str) -> str:
    if query:
        return _("CSV mit Semikolon (für deutsches Excel)")
    return {"csv": _("CSV mit Komma"), "json": _("JSON"), "xlsx": _("Excel (XLSX)")}[fmt]


def _distributions(dataset: Dataset) -> list[dict]:
    page = _absolute(reverse("opendata:index"))
    nodes = []
    for fmt, query, file_type, media_type in DISTRIBUTIONS:
        url = _absolute(reverse("opendata:download", args=[dataset.slug, fmt])) + query
        nodes.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dct:title": _distribution_title(fmt, query),
                "dcat:accessURL": {"@id": page},
                "dcat:downloadURL": {"@id": url},
                "dct:format": {"@id": FILE_TYPES + file_type},
                "dcat:mediaType": {"@id": MEDIA_TYPES + media_type},
                "dct:license": {"@id": dataset.license.uri},
                "dcatde:licenseAttributionByText": str(dataset.license.attribution),
            }
        )
    return nodes


def _table_schema(dataset: Dataset) -> dict:
    return {
        "@type": "csvw:Schema",
        "csvw:column": [
            {
                "@type": "csvw:Column",
                "csvw:name": column.key,
                "csvw:datatype": {"@id": "xsd:" + column.xsd_type},
                "dct:description": str(column.description),
                "dct:type": str(column.type_label),
            }
            for column in dataset.columns
        ],
    }


def dataset_node(dataset: Dataset, *, publisher: dict, modified: datetime | None) -> dict:
    page = _absolute(reverse("opendata:index"))
    return {
        "@id": f"{page}#{dataset.slug}",
        "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": str(dataset.title),
        "dct:description": str(dataset.description),
        "dct:publisher": publisher,
        "dct:license": {"@id": dataset.license.uri},
        "dct:language": GERMAN,
        "dcat:keyword": [str(keyword) for keyword in dataset.keywords],
        "dct:modified": _moment(modified),
        "dcat:landingPage": {"@id": f"{page}#{dataset.slug}"},
        "dcat:distribution": _distributions(dataset),
        "csvw:tableSchema": _table_schema(dataset),
    }


def catalog_document(*, datasets: list[tuple[Dataset, datetime | None]]) -> dict:
    """The catalog of ``datasets``, each given with the time of its data's latest change."""
    home = _absolute(reverse("core:home"))
    publisher = {"@id": home, "@type": "foaf:Organization", "foaf:name": settings.PLATFORM_NAME}
    dates = [modified for _dataset, modified in datasets if modified]
    return {
        "@context": CONTEXT,
        "@id": _absolute(reverse("opendata:catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _("Offene Daten der Initiative K"),
        "dct:description": _(
            "Kommunen, Digitalisierungsprojekte und Veranstaltungen der Initiative K als "
            "offene Daten."
        ),
        "dct:publisher": publisher,
        "dct:language": GERMAN,
        "foaf:homepage": {"@id": _absolute(reverse("opendata:index"))},
        "dct:modified": _moment(max(dates) if dates else None),
        "dcat:dataset": [
            dataset_node(dataset, publisher=publisher, modified=modified)
            for dataset, modified in datasets
        ],
    }
