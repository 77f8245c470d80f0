"""Optimistic concurrency for everything staff edit: a colleague's save is never silently
overwritten. A shared base beneath every app; it imports none of them."""

from django.db import models, transaction


class StaleSave(Exception):
    """The record was saved by someone else after this copy of it was opened."""


class Versioned(models.Model):
    """A ``version`` number that goes up by one on every save.

    The admin form carries the version it was opened at and refuses to save when the record has
    been saved since (see ``ketamine_info.editorial.admin.VersionedForm``), so a colleague's
    change is never silently overwritten. The form's check alone leaves a race (two saves that
    both pass it); a save that knows the version it was opened at (``opened_version``) closes
    it by claiming the next version with a conditional UPDATE first: of two such saves, the
    database lets exactly one match, and the other raises ``StaleSave``.
    """

    version = models.PositiveIntegerField(
        default=0, editable=False, help_text="Goes up by one on every save."
    )

    # Set by VersionedForm: the version this copy was opened at. None: no check (scripts, loads).
    opened_version: int | None = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        manager = self._meta.model._base_manager
        using = kwargs.get("using") or manager.db
        with transaction.atomic(using=using):
            opened, self.opened_version = self.opened_version, None
            if self.pk is not None and opened is not None:
                # Waits for a concurrent save's transaction (row lock, or SQLite's write lock)
                # and then sees its new version: 0 rows means someone else saved first.
                claimed = (
                    manager.using(using)
                    .filter(pk=self.pk, version=opened)
                    .update(version=opened + 1)
                )
                if not claimed:
                    raise StaleSave(
                        f"{self._meta.label} {self.pk} was saved since version {opened}"
                    )
                self.version = opened + 1
            else:
                # Counted from the stored row, not from this instance, which may be older (a
                # revert saves a copy made from a past revision).
                stored = None
                if self.pk is not None:
                    stored = (
                        manager.using(using)
                        .filter(pk=self.pk)
                        .values_list("version", flat=True)
                        .first()
                    )
                self.version = (stored if stored is not None else self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
            super().save(*args, **kwargs)
