from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema


def test_schema_is_valid_openapi_3():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_lists_every_endpoint_with_problem_responses(api_client, db):
    schema = api_client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/organizations/",
        "/api/v1/organizations/{slug}/",
        "/api/v1/regions/",
        "/api/v1/regions/{key}/",
        "/api/v1/topics/",
        "/api/v1/topics/{slug}/",
        "/api/v1/goals/",
        "/api/v1/goals/{id}/",
    ]:
        operation = paths[path]["get"]
        for code in ("400", "401", "404", "429"):
            assert "application/problem+json" in operation["responses"][code]["content"]
    detail = paths["/api/v1/organizations/{slug}/"]["get"]
    assert "304" in detail["responses"]
    names = {p["name"] for p in paths["/api/v1/organizations/"]["get"]["parameters"]}
    assert {"q", "kind", "kreis", "regierungsbezirk", "mitglied", "seite", "pro_seite"} <= names
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_every_api_route_is_in_the_schema(api_client, db):
    schema_paths = set(api_client.get("/api/schema/?format=json").json()["paths"])
    assert len(schema_paths) >= 8
    assert all(path.startswith("/api/v1/") for path in schema_paths)
    assert get_resolver().resolve("/api/v1/organizations/")


def test_docs_work_offline_under_the_strict_csp(api_client, db):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html
    assert "<style>" not in html
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    script = api_client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
