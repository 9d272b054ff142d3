from __future__ import annotations

from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns

from accounts.oauth.github.provider import GitHubProvider

urlpatterns = default_urlpatterns(GitHubProvider)
