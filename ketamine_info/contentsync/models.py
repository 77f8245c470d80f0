"""Content files: bookkeeping for syncing content/ with the database.

``LoadedFile`` remembers what each record looked like when it was last loaded from (or exported
to) its file, as a digest of the file's canonical text. When the record in the database no longer
matches that digest, staff changed it in the admin, and the loader leaves it alone.
"""

from django.db import models


class LoadedFile(models.Model):
    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    digest = models.CharField(max_length=64)
    synced = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="loadedfile_unique_kind_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.key}"
