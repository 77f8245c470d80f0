"""The topics that group FAQ questions and tie each article to its "Common questions"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    ABOUT = "about", _("The treatment itself")
    SAFETY = "safety", _("Safety and side effects")
    PRACTICALITIES = "practicalities", _("Before, during and after a session")
    ACCESS = "access", _("Cost and access")
