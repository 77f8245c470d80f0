"""Editorial: how staff edit the site together without losing each other's work.

This app has no tables of its own. It holds ``Versioned``, the optimistic-concurrency base of
every model staff edit in the admin; its admin module adds revision history, the stale-save
check and the live Markdown preview to those models' admin pages; its views serve staff-only
previews of drafts and the review dashboard; its migrations create the staff groups
"Content editor" and "Clinical reviewer".
"""

from django.db import models


class Versioned(models.Model):
    """A ``version`` number that goes up by one on every save.

    The admin form carries the version it was opened at and refuses to save when the record has
    been saved since (see ``ketamine_info.editorial.admin.VersionedForm``), so a colleague's
    change is never silently overwritten.
    """

    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Goes up by one on every save."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        # Counted from the stored row, not from this instance, which may be older (a revert
        # saves a copy made from a past revision).
        stored = None
        if self.pk is not None:
            stored = (
                self._meta.model._base_manager.filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
        self.version = (stored if stored is not None else self.version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
