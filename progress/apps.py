from __future__ import annotations

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = "Learner progress"

    def ready(self) -> None:
        from accounts.exports import register_export
        from progress import signals
        from progress.services import progress_export

        signals.connect()
        register_export("progress", progress_export)
