app_name = "progress"

urlpatterns: list = [
    # /dashboard/, progress updates, public pages and badges: see the progress issue.
]
