from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "ketamine_info.figures"
    verbose_name = "Figures"
