"""The open data page, the downloads and the DCAT catalog."""

import json

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from . import dcat, exports
from .datasets import DATASETS, Dataset

MAX_AGE = 15 * 60
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSONLD_TYPE = "application/ld+json; charset=utf-8"


def _dataset(slug: str) -> Dataset:
    try:
        return DATASETS[slug]
    except KeyError as exc:
        raise Http404 from exc


def _public(response: HttpResponse, filename: str | None = None) -> HttpResponse:
    if filename:
        response["Content-Disposition"] = f'attachment; filename="initiative-k-{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may fetch it
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@require_safe
def index(request):
    datasets = [{"dataset": d, "modified": d.modified()} for d in DATASETS.values()]
    return render(request, "opendata/index.html", {"datasets": datasets})


@require_safe
def download(request, dataset: str, fmt: str):
    """``dataset`` as ``fmt`` (csv, json, xlsx); CSV with ``?trenner=semikolon`` uses ``;``."""
    data = _dataset(dataset)
    filename = f"{data.slug}.{fmt}"
    if fmt == "csv":
        delimiter = ";" if request.GET.get("trenner") == "semikolon" else ","
        lines = exports.csv_lines(data, delimiter=delimiter)
        return _public(StreamingHttpResponse(lines, content_type=CSV_TYPE), filename)
    if fmt == "json":
        chunks = exports.json_chunks(data)
        return _public(StreamingHttpResponse(chunks, content_type=JSON_TYPE), filename)
    if fmt == "xlsx":
        return _public(HttpResponse(exports.xlsx_bytes(data), content_type=XLSX_TYPE), filename)
    raise Http404


@require_safe
def catalog(request):
    document = dcat.catalog_document(
        datasets=[(dataset, dataset.modified()) for dataset in DATASETS.values()]
    )
    content = json.dumps(document, ensure_ascii=False, indent=2)
    return _public(HttpResponse(content, content_type=JSONLD_TYPE))
