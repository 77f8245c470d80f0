from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "ketamine_info.decisions"
    verbose_name = "Decision aids"
