from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Course catalog"

    def ready(self) -> None:
        # Course links are checked like resources' (the link checker reads its sources'
        # URLs); roadmaps never imports this app, so the app says so here.
        from roadmaps.linkcheck.sources import UrlSource, url_source_register

        url_source_register(
            UrlSource("courses.Course", roadmap_path="roadmaps", place="Course catalog")
        )
