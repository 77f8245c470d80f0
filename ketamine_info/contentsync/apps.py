from django.apps import AppConfig


class ContentsyncConfig(AppConfig):
    name = "ketamine_info.contentsync"
    verbose_name = "Content files"
