from django.apps import AppConfig


class PagesConfig(AppConfig):
    """Stand-alone pages (/about/, /questions-to-ask/, …): a leaf app, as flatpages is."""

    name = "ketamine_info.pages"
    verbose_name = "Site pages"
