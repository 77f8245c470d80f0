from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    name = "ketamine_info.editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from ketamine_info import deploy_checks  # noqa: F401 (registers the deploy checks)

        from . import login  # noqa: F401 (connects the slowing of repeated failed logins)
        from .notifications import connect as connect_notifications
        from .roles import ensure_staff_groups

        post_migrate.connect(ensure_staff_groups, dispatch_uid="ketamine_info.staff_groups")
        # Reviewers hear of what waits for them (batched, notifications.py).
        connect_notifications()
