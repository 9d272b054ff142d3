from __future__ import annotations

from urllib.parse import urlsplit

from allauth.socialaccount import app_settings
from allauth.socialaccount.providers.github.views import GitHubOAuth2Adapter
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView

GITHUB_DOT_COM = "https://github.com"


class GitHubAdapter(GitHubOAuth2Adapter):
    """GitHub.com or GitHub Enterprise Server, chosen by `SOCIALACCOUNT_PROVIDERS["github"]
    ["GITHUB_URL"]`: github.com serves its API from api.github.com, Enterprise from
    `<GITHUB_URL>/api/v3`."""

    @property  # type: ignore[override]
    def web_url(self) -> str:
        configured = app_settings.PROVIDERS.get("github", {}).get("GITHUB_URL")
        return (configured or GITHUB_DOT_COM).rstrip("/")

    @property  # type: ignore[override]
    def api_url(self) -> str:
        if urlsplit(self.web_url).hostname == "github.com":
            return "https://api.github.com"
        return f"{self.web_url}/api/v3"

    @property  # type: ignore[override]
    def access_token_url(self) -> str:
        return f"{self.web_url}/login/oauth/access_token"

    @property  # type: ignore[override]
    def authorize_url(self) -> str:
        return f"{self.web_url}/login/oauth/authorize"

    @property  # type: ignore[override]
    def profile_url(self) -> str:
        return f"{self.api_url}/user"

    @property  # type: ignore[override]
    def emails_url(self) -> str:
        return f"{self.api_url}/user/emails"


oauth2_login = OAuth2LoginView.adapter_view(GitHubAdapter)
oauth2_callback = OAuth2CallbackView.adapter_view(GitHubAdapter)
