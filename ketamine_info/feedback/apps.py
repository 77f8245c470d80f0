from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    """Readers' "Did this page help?" answers and mistake reports: a leaf app, as pages is."""

    name = "ketamine_info.feedback"
    verbose_name = "Reader feedback"
