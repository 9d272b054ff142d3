from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Roadmap content"

    def ready(self) -> None:
        from roadmaps import signals

        signals.connect()
