"""Fake GitHub and Google OAuth servers on 127.0.0.1, for offline end-to-end sign-in tests.

Each server is a small http.server app in a daemon thread. It plays the provider's side of the
authorization-code flow with PKCE: the authorize endpoint redirects back with a code and the
state it was given, the token endpoint checks the client secret, code, redirect URI and code
verifier, and the API endpoints answer for the access token it issued. Tests change `profile`
and `emails` (or `claims` for Google) to describe the person signing in, and read `requests`
to see what the project sent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "fake-client-id"
CLIENT_SECRET = "fake-client-secret"


@dataclass
class Grant:
    redirect_uri: str
    code_challenge: str
    code_challenge_method: str
    scope: str


@dataclass
class FakeProvider:
    """What the fake provider knows: issued codes and tokens, and every request it served."""

    url: str = ""
    profile: dict[str, Any] = field(default_factory=dict)
    emails: list[dict[str, Any]] = field(default_factory=list)
    claims: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, list[str]]]] = field(default_factory=list)
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: set[str] = field(default_factory=set)
    signing_key: Any = None
    # Tests may sign id_tokens with a different key to check that forged tokens are refused.
    id_token_key: Any = None

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.requests]


def _pkce_s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class _Handler(BaseHTTPRequestHandler):
    provider: FakeProvider  # set on the subclass made for each server
    kind: str  # "github" or "google"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # -- helpers --------------------------------------------------------------------------

    def _send_json(self, status: int, body: Any) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _bearer_ok(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        return scheme.lower() in {"token", "bearer"} and token in self.provider.access_tokens

    # -- endpoints ------------------------------------------------------------------------

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        query = parse_qs(split.query)
        self.provider.requests.append(("GET", split.path, query))
        routes = {
            "github": {
                "/login/oauth/authorize": self._authorize,
                "/api/v3/user": self._github_user,
                "/api/v3/user/emails": self._github_emails,
            },
            "google": {
                "/o/oauth2/v2/auth": self._authorize,
                "/oauth2/v3/certs": self._google_certs,
                "/oauth2/v2/userinfo": self._google_userinfo,
            },
        }[self.kind]
        handler = routes.get(split.path)
        if handler is None:
            self._send_json(404, {"message": "Not Found"})
        else:
            handler(query)

    def do_POST(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qs(self.rfile.read(length).decode())
        self.provider.requests.append(("POST", split.path, form))
        token_path = {"github": "/login/oauth/access_token", "google": "/token"}[self.kind]
        if split.path == token_path:
            self._token(form)
        else:
            self._send_json(404, {"message": "Not Found"})

    def _authorize(self, query: dict[str, list[str]]) -> None:
        def one(name: str) -> str:
            return query.get(name, [""])[0]

        if one("client_id") != CLIENT_ID or one("response_type") != "code":
            self._send_json(400, {"error": "invalid_request"})
            return
        code = secrets.token_urlsafe(16)
        self.provider.grants[code] = Grant(
            redirect_uri=one("redirect_uri"),
            code_challenge=one("code_challenge"),
            code_challenge_method=one("code_challenge_method"),
            scope=one("scope"),
        )
        # The person approves at once: back to the app with the code and the state as given.
        self._redirect(f"{one('redirect_uri')}?{urlencode({'code': code, 'state': one('state')})}")

    def _token(self, form: dict[str, list[str]]) -> None:
        def one(name: str) -> str:
            return form.get(name, [""])[0]

        grant = self.provider.grants.pop(one("code"), None)
        if one("client_id") != CLIENT_ID or one("client_secret") != CLIENT_SECRET:
            self._send_json(401, {"error": "invalid_client"})
            return
        if grant is None or grant.redirect_uri != one("redirect_uri"):
            self._send_json(400, {"error": "invalid_grant"})
            return
        if grant.code_challenge and (
            grant.code_challenge_method != "S256"
            or _pkce_s256(one("code_verifier")) != grant.code_challenge
        ):
            self._send_json(400, {"error": "invalid_grant", "error_description": "PKCE"})
            return
        access_token = secrets.token_urlsafe(24)
        self.provider.access_tokens.add(access_token)
        body: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "bearer",
            "scope": grant.scope,
        }
        if self.kind == "google":
            now = int(time.time())
            claims = {
                "iss": self.provider.url,
                "aud": CLIENT_ID,
                "azp": CLIENT_ID,
                "iat": now,
                "exp": now + 3600,
                **self.provider.claims,
            }
            key = self.provider.id_token_key or self.provider.signing_key
            body["id_token"] = jwt.encode(
                claims, key, algorithm="RS256", headers={"kid": "fake-key-1"}
            )
            body["expires_in"] = 3599
        self._send_json(200, body)

    def _github_user(self, query: dict[str, list[str]]) -> None:
        if not self._bearer_ok():
            self._send_json(401, {"message": "Bad credentials"})
            return
        self._send_json(200, self.provider.profile)

    def _github_emails(self, query: dict[str, list[str]]) -> None:
        if not self._bearer_ok():
            self._send_json(401, {"message": "Bad credentials"})
            return
        self._send_json(200, self.provider.emails)

    def _google_certs(self, query: dict[str, list[str]]) -> None:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(
            self.provider.signing_key.public_key(), as_dict=True
        )
        self._send_json(200, {"keys": [{**public, "kid": "fake-key-1", "alg": "RS256"}]})

    def _google_userinfo(self, query: dict[str, list[str]]) -> None:
        if not self._bearer_ok():
            self._send_json(401, {"error": "invalid_token"})
            return
        self._send_json(200, self.provider.claims)


class FakeOAuthServer:
    def __init__(self, kind: str) -> None:
        self.provider = FakeProvider()
        if kind == "google":
            self.provider.signing_key = rsa.generate_private_key(
                public_exponent=65537, key_size=2048
            )
        handler = type(f"{kind}Handler", (_Handler,), {"provider": self.provider, "kind": kind})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.provider.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeProvider:
        self.thread.start()
        return self.provider

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
