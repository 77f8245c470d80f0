from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "ketamine_info.editorial"
    verbose_name = "Editorial workflow"
