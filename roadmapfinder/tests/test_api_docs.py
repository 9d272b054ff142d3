"""The API's documentation: the OpenAPI schema describes every operation and schema, and the
Swagger UI is served from our own static files (no CDN, works offline)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from openapi_spec_validator import OpenAPIV31SpecValidator

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("get", "/api/v1/health"),
    ("get", "/api/v1/roadmaps"),
    ("get", "/api/v1/roadmaps/{slug}"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/search/suggest"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/me/progress"),
    ("get", "/api/v1/me/progress/{slug}"),
    ("put", "/api/v1/me/progress/{slug}/{topic_key}"),
    ("post", "/api/v1/me/progress/{slug}/bulk"),
}


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_the_served_document_is_valid_openapi_3_1(openapi):
    """What `openapi-spec-validator openapi.json` checks: a client generator refuses anything
    less (a parameter's `examples` given as a list was the first thing they tripped on)."""
    assert openapi["openapi"] == "3.1.0"
    errors = [
        f"{'/'.join(str(part) for part in error.path)}: {error.message}"
        for error in OpenAPIV31SpecValidator(openapi).iter_errors()
    ]
    assert errors == []


def test_parameters_give_one_example(openapi):
    parameters = {
        (path, parameter["name"]): parameter
        for path, methods in openapi["paths"].items()
        for operation in methods.values()
        for parameter in operation.get("parameters", [])
    }
    assert not [where for where, parameter in parameters.items() if "examples" in parameter]
    examples = {where: parameter.get("example") for where, parameter in parameters.items()}
    assert examples == {
        ("/api/v1/roadmaps", "category"): "Backend",
        ("/api/v1/roadmaps", "level"): None,
        ("/api/v1/roadmaps", "q"): "flask",
        ("/api/v1/roadmaps", "tag"): "python",
        ("/api/v1/roadmaps", "ordering"): None,
        ("/api/v1/roadmaps", "page"): 1,
        ("/api/v1/roadmaps", "page_size"): 20,
        ("/api/v1/courses", "category"): "web-development",
        ("/api/v1/courses", "language"): "hi",
        ("/api/v1/courses", "level"): "beginner",
        ("/api/v1/courses", "page"): 1,
        ("/api/v1/courses", "page_size"): 20,
        ("/api/v1/roadmaps/{slug}", "slug"): "flask",
        ("/api/v1/search", "q"): "jwt",
        ("/api/v1/search", "page"): 1,
        ("/api/v1/search", "page_size"): 20,
        ("/api/v1/search/suggest", "q"): "jw",
        ("/api/v1/me/progress/{slug}", "slug"): "flask",
        ("/api/v1/me/progress/{slug}/bulk", "slug"): "flask",
        ("/api/v1/me/progress/{slug}/{topic_key}", "slug"): "flask",
        ("/api/v1/me/progress/{slug}/{topic_key}", "topic_key"): "jwt-authentication",
    }


def test_every_endpoint_is_documented(openapi):
    assert openapi["info"]["title"] == "Roadmapfinder API"
    assert openapi["info"]["version"] == "1.1.0"
    assert {(method, path) for method, path, _ in operations(openapi)} >= OPERATIONS


def test_operation_ids_are_the_handler_names(openapi):
    """Generated clients name a function after each operation id: `roadmap_list`, not
    `roadmaps_api_roadmap_list`."""
    ids = {
        (method, path): operation["operationId"] for method, path, operation in operations(openapi)
    }
    assert ids == {
        ("get", "/api/v1/health"): "health",
        ("get", "/api/v1/roadmaps"): "roadmap_list",
        ("get", "/api/v1/roadmaps/{slug}"): "roadmap_detail",
        ("get", "/api/v1/search"): "search",
        ("get", "/api/v1/search/suggest"): "search_suggest",
        ("get", "/api/v1/me"): "me",
        ("get", "/api/v1/me/progress"): "progress_list",
        ("get", "/api/v1/me/progress/{slug}"): "progress_detail",
        ("put", "/api/v1/me/progress/{slug}/{topic_key}"): "progress_set",
        ("post", "/api/v1/me/progress/{slug}/bulk"): "progress_bulk",
        ("get", "/api/v1/courses"): "course_list",
    }


def test_every_operation_has_a_summary_a_description_and_its_errors(openapi):
    for method, path, operation in operations(openapi):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), where
        assert len(operation.get("description", "")) > 40, where
        responses = operation["responses"]
        assert "200" in responses, where
        assert "429" in responses, where
        assert "401" in responses, where
        for status, answer in responses.items():
            if status.startswith(("4", "5")):
                schema = answer["content"]["application/json"]["schema"]["$ref"]
                assert schema.endswith("ErrorOut"), (where, status)
        if operation.get("parameters") or operation.get("requestBody"):
            assert "422" in responses, where
        if operation.get("requestBody"):
            assert "400" in responses, where


def test_public_operations_declare_optional_credentials(openapi):
    detail = openapi["paths"]["/api/v1/roadmaps/{slug}"]["get"]
    assert detail["security"] == [{"BearerTokenAuth": []}, {"SessionAuth": []}, {}]
    me = openapi["paths"]["/api/v1/me"]["get"]
    assert me["security"] == [{"BearerTokenAuth": []}, {"SessionAuth": []}]
    assert openapi["components"]["securitySchemes"] == {
        "BearerTokenAuth": {"type": "http", "scheme": "bearer"},
        "SessionAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
    }


def _is_reference(prop: dict) -> bool:
    if "$ref" in prop or "$ref" in prop.get("items", {}):
        return True
    options = prop.get("anyOf", []) + prop.get("allOf", [])
    return any("$ref" in option for option in options)


def test_every_schema_and_field_is_described_or_exemplified(openapi):
    for name, schema in openapi["components"]["schemas"].items():
        assert schema.get("description"), name
        for field, prop in schema.get("properties", {}).items():
            if _is_reference(prop):
                continue
            assert prop.get("description") or prop.get("examples"), f"{name}.{field}"


def test_output_schemas_list_their_fields(openapi):
    detail = openapi["components"]["schemas"]["RoadmapDetailOut"]
    assert set(detail["properties"]) == {
        "slug", "title", "edition", "display_title", "summary", "description", "category",
        "featured", "trending", "tags", "status", "completion_message", "published_at",
        "updated_at", "url", "level_range", "duration_months", "counts", "resources", "phases",
        "faqs",
    }  # fmt: skip
    assert set(detail["required"]) == set(detail["properties"])


def test_swagger_ui_is_served_from_our_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", html)
    assets = re.findall(
        r"<script src=\"([^\"]+)\"|<link rel=\"stylesheet\" href=\"([^\"]+)\"", html
    )
    assets = [script or stylesheet for script, stylesheet in assets]
    assert {"/static/ninja/swagger-ui-bundle.js", "/static/ninja/swagger-ui.css"} <= set(assets)
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    # Swagger UI's validator badge would fetch validator.swagger.io: switched off.
    assert '"validatorUrl": null' in html
    assert '"url": "/api/v1/openapi.json"' in html


def test_the_docs_page_is_in_the_sites_layout_with_a_way_to_a_token(client, learner):
    html = client.get("/api/v1/docs").content.decode()
    assert '<header class="site-header">' in html
    assert "data-theme-toggle" in html
    assert "/static/css/site.css" in html
    assert "<h1>API documentation</h1>" in html
    assert f'href="{reverse("accounts:settings")}#api-tokens"' in html
    assert "(after signing in)" in html
    # No inline script: settings travel as JSON data, our own static script reads them.
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    for attributes, body in scripts:
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes
        assert "src=" in attributes or body.strip().startswith("{")
    assert "style=" not in html
    client.force_login(learner)
    assert "(after signing in)" not in client.get("/api/v1/docs").content.decode()
