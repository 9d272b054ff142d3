from django.apps import AppConfig


class RoadmapsConfig(AppConfig):
    name = "roadmaps"
    verbose_name = "Roadmap content"

    def ready(self) -> None:
        from roadmaps import signals
        from roadmaps.linkcheck import hooks

        signals.connect()
        hooks.connect()  # link checking: check a resource's URL soon after it is saved
