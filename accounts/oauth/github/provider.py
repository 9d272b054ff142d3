from __future__ import annotations

from allauth.socialaccount.providers.github.provider import GitHubProvider as StockGitHubProvider

from accounts.oauth.github.views import GitHubAdapter


class GitHubProvider(StockGitHubProvider):
    oauth2_adapter_class = GitHubAdapter


provider_classes = [GitHubProvider]
