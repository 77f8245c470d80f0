from django.apps import AppConfig


class CitationsConfig(AppConfig):
    name = "ketamine_info.citations"
    verbose_name = "Citation registry"

    def ready(self) -> None:
        from . import evidence, rerender

        evidence.connect()
        rerender.connect()
