from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "ketamine_info.scheduling"
    verbose_name = "Scheduled publishing"
