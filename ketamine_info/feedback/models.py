"""What readers tell the clinic about a page: whether it helped, and what is wrong with it.

Nothing here identifies a reader. The form asks for no name or contact, and the reader's network
address is never stored: ``sender`` is a keyed hash of it and the day, enough to limit how many
reports one address sends in an hour and useless for finding who sent them.
"""

from django.db import models

# Long enough to say what is wrong and where; short enough to read in the dashboard.
MESSAGE_MAX = 1000


class Report(models.Model):
    class Helped(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    page = models.CharField(max_length=300, help_text="The address of the page, on this site.")
    helped = models.CharField(
        "did the page help?", max_length=3, choices=Helped.choices, blank=True
    )
    message = models.TextField("what is wrong or unclear", max_length=MESSAGE_MAX, blank=True)
    created = models.DateTimeField("sent", auto_now_add=True, db_index=True)
    sender = models.CharField(max_length=64, editable=False, db_index=True)
    dealt_with = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]
        verbose_name = "reader report"

    def __str__(self) -> str:
        what = "Mistake report" if self.message else "Answer"
        return f"{what} on {self.page}"

    @property
    def is_mistake(self) -> bool:
        return bool(self.message)


def reports_for(path: str, limit: int = 20):
    """The latest reports on one page, for its review screen."""
    return Report.objects.filter(page=path).order_by("-created")[:limit]
