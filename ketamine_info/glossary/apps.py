from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "ketamine_info.glossary"
    verbose_name = "Glossary"

    def ready(self) -> None:
        from . import signals

        signals.connect()
