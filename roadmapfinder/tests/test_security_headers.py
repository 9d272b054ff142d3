"""Content-Security-Policy without 'unsafe-inline', Referrer-Policy and Permissions-Policy on every
page (roadmapfinder/middleware.py), and no inline script or style in what the pages render."""

from __future__ import annotations

import re

import pytest
from django.template import loader
from django.test import Client

pytestmark = pytest.mark.django_db

INLINE = [
    # A <script> without src runs inline; a JSON data block (type="application/json") does not.
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"),
        "script",
    ),
    (re.compile(r"<style[\s>]"), "<style>"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def inline_code(html: str) -> list[str]:
    return [f"{what}: {m.group(0)}" for pattern, what in INLINE for m in pattern.finditer(html)]


@pytest.fixture
def pages(flask_roadmap, learner, editor):
    learner.is_profile_public = True
    learner.save()
    return {
        "anonymous": [
            "/",
            "/roadmaps/flask/",
            "/search/?q=jwt",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            f"/u/{learner.username}/",
            "/no-such-page/",
            "/admin/login/",
            "/api/v1/docs",
        ],
        "learner": ["/settings/", "/dashboard/", "/accounts/email/", "/settings/delete/"],
        "editor": ["/admin/", "/admin/roadmaps/roadmap/"],
    }


def test_every_page_has_the_policy_headers_and_no_inline_code(pages, learner, editor):
    clients = {"anonymous": Client(), "learner": Client(), "editor": Client()}
    clients["learner"].force_login(learner)
    clients["editor"].force_login(editor)
    for who, paths in pages.items():
        for path in paths:
            response = clients[who].get(path)
            assert response.status_code in {200, 404}, (path, response.status_code)
            policy = response["Content-Security-Policy"]
            assert "default-src 'self'" in policy
            assert "script-src 'self'" in policy and "style-src 'self'" in policy
            assert "unsafe-inline" not in policy, path
            assert "frame-ancestors 'none'" in policy
            assert response["Referrer-Policy"] == "same-origin"
            assert "camera=()" in response["Permissions-Policy"]
            if path.startswith("/admin/"):
                continue  # Django's admin templates (and other apps' admin code) are not ours
            assert inline_code(response.content.decode()) == [], path


def test_the_standalone_error_pages_have_no_inline_code():
    for name in ("500.html", "503.html"):
        assert inline_code(loader.get_template(name).render()) == [], name


def test_sign_in_forms_may_go_on_to_the_providers(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    form_action = next(d for d in policy.split("; ") if d.startswith("form-action"))
    assert form_action == "form-action 'self' https://accounts.google.com https://github.com"


def test_the_api_has_the_policy_too(client, db):
    response = client.get("/api/v1/health")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Request-ID"]
