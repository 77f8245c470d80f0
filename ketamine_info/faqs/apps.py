from django.apps import AppConfig


class FaqsConfig(AppConfig):
    name = "ketamine_info.faqs"
    verbose_name = "Questions and answers"
