from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ketamine_info.search"
    verbose_name = "Site search"

    def ready(self) -> None:
        from . import signals

        signals.connect()
