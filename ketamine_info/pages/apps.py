from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "ketamine_info.pages"
    verbose_name = "Site pages"
