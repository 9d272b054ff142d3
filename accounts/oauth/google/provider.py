from __future__ import annotations

from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.google.provider import GoogleProvider as StockGoogleProvider
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.http import HttpRequest

from accounts.oauth.google.views import GoogleAdapter, id_token_decode


class GoogleProvider(StockGoogleProvider):
    oauth2_adapter_class = GoogleAdapter

    def verify_token(self, request: HttpRequest, token: dict[str, Any]) -> Any:
        """Sign-in with a Google id_token (One Tap / headless), checked like the redirect flow."""
        credential = token.get("id_token")
        if not credential:
            raise get_adapter().validation_error("invalid_token")
        try:
            identity = id_token_decode(credential=credential, client_id=self.app.client_id)
        except (OAuth2Error, requests.RequestException) as error:
            raise get_adapter().validation_error("invalid_token") from error
        return self.sociallogin_from_response(request, identity)


provider_classes = [GoogleProvider]
