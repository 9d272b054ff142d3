"""A Python client generated from the served OpenAPI document, as an API client developer would
make one (`openapi-python-client generate`), used against a live server for everything a
learner's client does: list roadmaps and follow the pages, fetch the Flask tree, search, read
`/me`, write and read progress with a personal token, and get the documented errors back.

Each answer the generated client parses is compared with the JSON the API sends for the same
request, fetched with plain httpx: the client must lose nothing and invent nothing. The client
is generated once per run, into a temporary directory, offline (the generator reads a file).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from django.test import Client

from accounts.services import api_token_create
from courses.tests.factories import CourseFactory
from progress.models import Progress
from roadmaps.tests.factories import RoadmapFactory

pytestmark = pytest.mark.slow

PACKAGE = "roadmapfinder_client"
# Every operation of the document, as the generator names its module: all of them are a
# learner's client's business (a test below checks that the list is the document's).
OPERATIONS = {
    "meta": {"health"},
    "roadmaps": {"roadmap_list", "roadmap_detail", "search", "search_suggest"},
    "me": {"me", "progress_list", "progress_detail", "progress_set", "progress_bulk"},
    "courses": {"course_list"},
}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@pytest.fixture(scope="module")
def openapi_document(django_db_setup, django_db_blocker) -> dict[str, Any]:
    """The document as the site serves it, fetched once for the module (in-process: the live
    server only answers inside a test's database)."""
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(scope="module")
def rmf(openapi_document, tmp_path_factory) -> Iterator[ModuleType]:
    """The generated package, imported."""
    work = tmp_path_factory.mktemp("generated-client")
    document = work / "openapi.json"
    document.write_text(json.dumps(openapi_document))
    # No post hooks: the generator would otherwise look for ruff on PATH to format its output.
    config = work / "config.json"
    config.write_text(json.dumps({"package_name_override": PACKAGE, "post_hooks": []}))
    generator = Path(sys.executable).with_name("openapi-python-client")
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--output-path",
            str(work / PACKAGE),
            "--config",
            str(config),
            "--fail-on-warning",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def operation(rmf: ModuleType, tag: str, name: str) -> ModuleType:
    return importlib.import_module(f"{rmf.__name__}.api.{tag}.{name}")


def model(rmf: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{rmf.__name__}.models"), name)


def comparable(value: Any) -> Any:
    """JSON with datetimes parsed: the API writes "...Z", the client's to_dict() "+00:00"."""
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return datetime.fromisoformat(value)
    return value


class Api:
    """The API as plain HTTP, without the generated code, to compare against."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str) -> Any:
        response = httpx.get(self.base_url + path, headers=self.headers, timeout=30)
        assert response.status_code == 200, (path, response.text)
        return comparable(response.json())


def same(parsed: Any, api_json: Any) -> None:
    """The generated client's object says exactly what the API's JSON says."""
    assert comparable(parsed.to_dict()) == api_json


@pytest.fixture
def connect(rmf, live_server) -> Iterator[Any]:
    """connect(token=None): a generated client on the live server. Each is closed after the
    test, before the live server's database goes away: a keep-alive connection closed later
    would end its server thread outside the test."""
    opened = []

    def connect(token: str | None = None, **options: Any) -> Any:
        options = {"base_url": live_server.url, "raise_on_unexpected_status": True, **options}
        client = rmf.AuthenticatedClient(token=token, **options) if token else rmf.Client(**options)
        opened.append(client)
        return client.__enter__()

    yield connect
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def site_is_the_live_server(settings, live_server) -> str:
    # Links in payloads are absolute on SITE_URL; point it at the live server to follow them.
    settings.SITE_URL = live_server.url
    return live_server.url


def test_every_operation_of_the_document_became_a_function(rmf, openapi_document):
    documented = {
        (operation_["tags"][0], operation_["operationId"])
        for methods in openapi_document["paths"].values()
        for operation_ in methods.values()
    }
    assert documented == {(tag, name) for tag, names in OPERATIONS.items() for name in names}
    for tag, name in documented:
        module = operation(rmf, tag, name)
        assert callable(module.sync) and callable(module.sync_detailed), name


def test_public_reads_through_the_generated_client(
    rmf, connect, flask_roadmap, site_is_the_live_server
):
    base = site_is_the_live_server
    RoadmapFactory(slug="django", title="Django Roadmap")
    RoadmapFactory(slug="react", title="React Roadmap")
    # No credentials at all: the public endpoints take a plain Client.
    client = connect()
    api = Api(base)

    health = operation(rmf, "meta", "health").sync(client=client)
    same(health, api.get("/api/v1/health"))
    assert health.status == "ok"

    roadmap_list = operation(rmf, "roadmaps", "roadmap_list")
    first = roadmap_list.sync(client=client, page_size=2)
    # The generated client sends every parameter that has a default, so the page links (which
    # keep the caller's query) carry them too.
    same(first, api.get("/api/v1/roadmaps?ordering=title&page=1&page_size=2"))
    assert first.count == 3
    assert [roadmap.slug for roadmap in first.items] == ["django", "flask"]
    assert first.previous is None
    # `next` is a Python builtin: the generator calls the attribute `next_`.
    assert first.next_ == f"{base}/api/v1/roadmaps?ordering=title&page=2&page_size=2"
    # Following the absolute link and asking the client for page 2 give the same page.
    second = roadmap_list.sync(client=client, page_size=2, page=2)
    same(second, comparable(httpx.get(first.next_, timeout=10).json()))
    assert [roadmap.slug for roadmap in second.items] == ["react"]
    assert second.next_ is None
    assert second.previous == f"{base}/api/v1/roadmaps?ordering=title&page=1&page_size=2"
    level = model(rmf, "RoadmapListLevelType0")
    filtered = roadmap_list.sync(client=client, level=level.EXPERT, q="flask")
    same(filtered, api.get("/api/v1/roadmaps?level=expert&q=flask"))
    assert [roadmap.slug for roadmap in filtered.items] == ["flask"]

    flask = first.items[1]
    assert flask.api_url == f"{base}/api/v1/roadmaps/flask"
    tree = operation(rmf, "roadmaps", "roadmap_detail").sync("flask", client=client)
    same(tree, api.get("/api/v1/roadmaps/flask"))
    same(tree, comparable(httpx.get(flask.api_url, timeout=10).json()))
    assert (tree.counts.phases, tree.counts.sections, tree.counts.items) == (17, 49, 173)
    assert tree.phases[0].level_label == "Mandatory Prerequisites"
    assert tree.updated_at == flask_roadmap.updated_at

    found = operation(rmf, "roadmaps", "search").sync(client=client, q="jwt")
    same(found, api.get("/api/v1/search?q=jwt"))
    assert found.count > 0
    assert [group.roadmap.slug for group in found.groups] == ["flask"]

    CourseFactory(key="flask-hi", language="hi", roadmaps=[flask_roadmap])
    CourseFactory(key="flask-en", language="en", roadmaps=[flask_roadmap])
    course_list = operation(rmf, "courses", "course_list")
    courses = course_list.sync(client=client, language="hi")
    same(courses, api.get("/api/v1/courses?language=hi&page=1&page_size=20"))
    assert [course.language for course in courses.items] == ["hi"]


def test_errors_come_back_as_the_documented_models(rmf, connect, flask_roadmap):
    client = connect()
    missing = operation(rmf, "roadmaps", "roadmap_detail").sync_detailed("nope", client=client)
    assert missing.status_code == 404
    assert isinstance(missing.parsed, model(rmf, "ErrorOut"))
    assert missing.parsed.to_dict() == {"detail": "No roadmap with the slug 'nope'."}

    invalid = operation(rmf, "roadmaps", "roadmap_list").sync_detailed(client=client, page=0)
    assert invalid.status_code == 422
    assert isinstance(invalid.parsed, model(rmf, "ValidationErrorOut"))
    assert [(e.field, e.location) for e in invalid.parsed.errors] == [("page", "query")]

    anonymous = operation(rmf, "me", "me").sync_detailed(client=client)
    assert anonymous.status_code == 401
    assert anonymous.parsed.detail.startswith("Authentication required")

    revoked = connect(token="rmf_not-a-token")
    refused = operation(rmf, "me", "me").sync_detailed(client=revoked)
    assert refused.status_code == 401
    assert refused.parsed.to_dict() == {"detail": "Invalid or revoked API token."}


def test_a_learner_writes_and_reads_progress_with_a_token(
    rmf, connect, flask_roadmap, learner, site_is_the_live_server
):
    base = site_is_the_live_server
    _, raw = api_token_create(user=learner, name="generated client")
    client = connect(token=raw)
    api = Api(base, token=raw)

    me = operation(rmf, "me", "me").sync(client=client)
    same(me, api.get("/api/v1/me"))
    assert (me.username, me.email) == ("ada", "ada@example.com")
    assert me.progress_url == f"{base}/api/v1/me/progress"

    progress_list = operation(rmf, "me", "progress_list")
    empty = progress_list.sync(client=client)
    same(empty, api.get("/api/v1/me/progress"))
    assert (empty.count, empty.items, empty.next_, empty.previous) == (0, [], None, None)

    status_in, status = model(rmf, "StatusIn"), model(rmf, "StatusInStatus")
    keys = [topic.key for topic in flask_roadmap.topics.order_by("id")[:3]]
    written = operation(rmf, "me", "progress_set").sync(
        "flask", keys[0], client=client, body=status_in(status=status.DONE)
    )
    row = Progress.objects.get(user=learner)
    assert (row.topic.key, row.status) == (keys[0], "done")
    assert written.to_dict() == {
        "key": keys[0],
        "status": "done",
        "updated_at": row.updated_at.isoformat(),
    }

    bulk_in, statuses = model(rmf, "BulkStatusIn"), model(rmf, "BulkStatusInStatuses")
    after_bulk = operation(rmf, "me", "progress_bulk").sync(
        "flask",
        client=client,
        body=bulk_in(statuses=statuses.from_dict({keys[1]: "in_progress", keys[2]: "skipped"})),
    )
    expected_topics = {keys[0]: "done", keys[1]: "in_progress", keys[2]: "skipped"}
    assert after_bulk.topics.to_dict() == expected_topics

    detail = operation(rmf, "me", "progress_detail").sync("flask", client=client)
    same(detail, api.get("/api/v1/me/progress/flask"))
    assert detail.to_dict() == after_bulk.to_dict()
    assert (detail.items.total, detail.items.done, detail.items.skipped) == (173, 1, 1)
    assert detail.roadmap.api_url == f"{base}/api/v1/roadmaps/flask"

    listed = progress_list.sync(client=client)
    same(listed, api.get("/api/v1/me/progress"))
    assert [summary.roadmap.slug for summary in listed.items] == ["flask"]
    assert dict(Progress.objects.filter(user=learner).values_list("topic__key", "status")) == (
        expected_topics
    )


def test_the_example_in_the_api_guide_runs(rmf, flask_roadmap, learner, live_server, capsys):
    """docs/api.md shows a short program using the generated client: it must keep working."""
    guide = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    section = guide.split("## Generating a client", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    _, raw = api_token_create(user=learner, name="guide")
    assert '"https://roadmapfinder.example"' in example and '"rmf_..."' in example
    example = example.replace('"https://roadmapfinder.example"', repr(live_server.url))
    example = example.replace('"rmf_..."', repr(raw))
    exec(compile(example, "docs/api.md", "exec"), {})  # noqa: S102 - our own documentation
    printed = capsys.readouterr().out.splitlines()
    first_key = flask_roadmap.phases.get(position=0).sections.get(position=0).topics.first().key
    assert printed == [
        "1 ['flask'] None",
        f"Flask Roadmap (2026 Edition) 173 {first_key}",
        # 1 of 173 done: the percent shows 1 once anything is done.
        "1 {'client-server-model': 'done'}",
    ]
    assert Progress.objects.get(user=learner).topic.key == "client-server-model"
