"""Publishing rules shared by every kind of public content."""

from django.db import models


class PublishedQuerySet(models.QuerySet):
    """``.published()`` is what the public may see; views, sitemaps and feeds all use it."""

    def published(self):
        return self.filter(published=True)
