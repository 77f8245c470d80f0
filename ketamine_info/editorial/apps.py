from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "ketamine_info.editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from ketamine_info import deploy_checks  # noqa: F401 (registers the deploy checks)

        from . import login  # noqa: F401 (connects the slowing of repeated failed logins)
