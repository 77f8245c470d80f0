from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "ketamine_info.clinics"
    verbose_name = "Clinic contact blocks"
