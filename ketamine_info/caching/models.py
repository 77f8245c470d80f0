from django.db import models


class OwedInvalidation(models.Model):
    """A change patients should see that the page cache or a reverse proxy has not been told
    of (it was unreachable). Kept in the database, which every app server shares and which
    outlives their processes, until an invalidation succeeds (invalidation.py)."""

    created = models.DateTimeField(auto_now_add=True)
    problem = models.CharField(max_length=300)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M:%S}: {self.problem}"
