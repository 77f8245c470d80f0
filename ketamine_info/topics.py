"""The topics that group FAQ questions and tie each article to its "Common questions"."""

from django.db import models


class Topic(models.TextChoices):
    ABOUT = "about", "The treatment itself"
    SAFETY = "safety", "Safety and side effects"
    PRACTICALITIES = "practicalities", "Before, during and after a session"
    ACCESS = "access", "Cost and access"
