app_name = "accounts"

urlpatterns: list = [
    # /settings/, tokens, data export and deletion: see the accounts issue.
]
