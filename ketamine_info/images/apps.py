from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "ketamine_info.images"
    verbose_name = "Images"
