import json

from django.urls import reverse

from tests.opendata.conftest import SITE

DCAT_LICENSES = {
    "organisationen": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "projekte": "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "veranstaltungen": "http://dcat-ap.de/def/licenses/cc-by/4.0",
}


def _catalog(client) -> dict:
    response = client.get(reverse("opendata:catalog"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    return json.loads(response.content)


def test_catalog_is_json_ld_with_the_dcat_namespaces(client, opendata):
    catalog = _catalog(client)

    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    assert catalog["@context"]["foaf"] == "http://xmlns.com/foaf/0.1/"
    assert catalog["dct:publisher"]["foaf:name"] == "Initiative K"


def test_every_dataset_has_title_license_keywords_and_latest_change(client, opendata):
    datasets = {node["dct:identifier"]: node for node in _catalog(client)["dcat:dataset"]}
    project = opendata["project"]
    project.refresh_from_db()

    assert set(datasets) == set(DCAT_LICENSES)
    for slug, node in datasets.items():
        assert node["@type"] == "dcat:Dataset"
        assert node["dct:title"] and node["dct:description"]
        assert node["dct:publisher"]["@type"] == "foaf:Organization"
        assert node["dct:license"] == {"@id": DCAT_LICENSES[slug]}
        assert node["dcat:keyword"]
        assert node["dct:modified"]["@type"] == "xsd:dateTime"
    assert datasets["projekte"]["dct:modified"]["@value"] == project.updated_at.isoformat()


def test_every_format_is_a_distribution_with_download_url_and_media_type(client, opendata):
    projects = next(n for n in _catalog(client)["dcat:dataset"] if n["@id"].endswith("#projekte"))
    urls = {d["dcat:downloadURL"]["@id"]: d for d in projects["dcat:distribution"]}

    assert set(urls) == {
        f"{SITE}/daten/projekte.csv",
        f"{SITE}/daten/projekte.csv?trenner=semikolon",
        f"{SITE}/daten/projekte.json",
        f"{SITE}/daten/projekte.xlsx",
    }
    json_dist = urls[f"{SITE}/daten/projekte.json"]
    assert json_dist["@type"] == "dcat:Distribution"
    assert json_dist["dcat:accessURL"] == {"@id": f"{SITE}/daten/"}
    assert json_dist["dct:format"]["@id"].endswith("/file-type/JSON")
    assert json_dist["dcat:mediaType"]["@id"].endswith("/application/json")
    for url in urls:
        assert client.get(url.removeprefix(SITE)).status_code == 200


def test_columns_are_described_with_name_type_and_meaning(client, opendata):
    organizations = _catalog(client)["dcat:dataset"][0]
    columns = organizations["csvw:tableSchema"]["csvw:column"]

    assert [c["csvw:name"] for c in columns][:3] == ["name", "art", "ags"]
    population = next(c for c in columns if c["csvw:name"] == "einwohner")
    assert population["csvw:datatype"] == {"@id": "xsd:integer"}
    assert population["dct:description"]


def test_catalog_works_without_any_data(client, db):
    catalog = _catalog(client)

    assert len(catalog["dcat:dataset"]) == 3
