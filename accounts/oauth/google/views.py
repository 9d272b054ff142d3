from __future__ import annotations

from typing import Any

from allauth.socialaccount import app_settings
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView

# Google's published defaults. CERTS_URL is the JWKS form of Google's signing keys.
DEFAULTS = {
    "AUTHORIZE_URL": "https://accounts.google.com/o/oauth2/v2/auth",
    "ACCESS_TOKEN_URL": "https://oauth2.googleapis.com/token",
    "IDENTITY_URL": "https://www.googleapis.com/oauth2/v2/userinfo",
    "CERTS_URL": "https://www.googleapis.com/oauth2/v3/certs",
    "ID_TOKEN_ISSUER": "https://accounts.google.com",
}


def google_setting(name: str) -> str:
    return app_settings.PROVIDERS.get("google", {}).get(name) or DEFAULTS[name]


def id_token_decode(*, credential: str, client_id: str) -> dict[str, Any]:
    """Check an id_token's signature (against the JWKS at CERTS_URL), issuer, audience, expiry."""
    return jwtkit.verify_and_decode(
        credential=credential,
        keys_url=google_setting("CERTS_URL"),
        issuer=google_setting("ID_TOKEN_ISSUER"),
        audience=client_id,
        lookup_kid=jwtkit.lookup_kid_jwk,
        verify_signature=True,
    )


class GoogleAdapter(GoogleOAuth2Adapter):
    """Google with endpoints from `SOCIALACCOUNT_PROVIDERS["google"]` read per request."""

    @property  # type: ignore[override]
    def authorize_url(self) -> str:
        return google_setting("AUTHORIZE_URL")

    @property  # type: ignore[override]
    def access_token_url(self) -> str:
        return google_setting("ACCESS_TOKEN_URL")

    @property  # type: ignore[override]
    def identity_url(self) -> str:
        return google_setting("IDENTITY_URL")

    @property  # type: ignore[override]
    def id_token_issuer(self) -> str:
        return google_setting("ID_TOKEN_ISSUER")

    def _decode_id_token(self, app: Any, id_token: str) -> dict[str, Any]:
        # allauth skips the signature check when the token came straight from the token
        # endpoint over TLS (allowed by OpenID Connect). Because that endpoint can be pointed
        # at a proxy here, we always verify it: one extra request for the keys per sign-in.
        return id_token_decode(credential=id_token, client_id=app.client_id)


oauth2_login = OAuth2LoginView.adapter_view(GoogleAdapter)
oauth2_callback = OAuth2CallbackView.adapter_view(GoogleAdapter)
