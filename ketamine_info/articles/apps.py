from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "ketamine_info.articles"
    verbose_name = "Articles"
