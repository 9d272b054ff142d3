from __future__ import annotations

from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from accounts.oauth.google.provider import GoogleProvider

urlpatterns = default_urlpatterns(GoogleProvider)
