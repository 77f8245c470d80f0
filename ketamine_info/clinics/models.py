"""Clinic contact blocks: how patients reach the clinic, and where on the site that appears.

Staff edit a ``ContactBlock`` in the admin: the clinic's phone, text-message number, email,
address, opening hours and booking link, a short Markdown note, and a placement (the site-wide
footer, the end of every article, the FAQ page or the home page). The ``{% contact_blocks %}`` tag
shows the blocks that are active today, in order, with schema.org ``MedicalClinic`` data.

The crisis message is deliberately not a contact block: it lives in the templates and stays on
every page whatever is done here.

A block is what patients read (a phone number is a clinical fact to someone in distress), so every
change to it, its hours and its articles included, waits for a clinical reviewer like an
article's (``ketamine_info/editorial/review.py``). Only taking a block off the site is at once.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from ketamine_info import markup
from ketamine_info.articles.models import Article
from ketamine_info.citations.models import key_validator
from ketamine_info.versioning import Versioned

from . import phones

BODY_MAX_LENGTH = 1000


class Placement(models.TextChoices):
    FOOTER = "footer", "Site-wide footer (every page)"
    ARTICLE_END = "article_end", "End of every article"
    FAQ = "faq", "FAQ page"
    HOME = "home", "Home page"


class Day(models.IntegerChoices):
    # ISO numbering, so hours sort Monday first.
    MONDAY = 1, "Monday"
    TUESDAY = 2, "Tuesday"
    WEDNESDAY = 3, "Wednesday"
    THURSDAY = 4, "Thursday"
    FRIDAY = 5, "Friday"
    SATURDAY = 6, "Saturday"
    SUNDAY = 7, "Sunday"


def validate_https(value: str) -> None:
    if urlsplit(value).scheme.lower() != "https":
        raise ValidationError(
            "The booking link must start with https:// so that what patients type is sent "
            "securely; “%(value)s” does not.",
            code="https_only",
            params={"value": value},
        )


class ContactBlockQuerySet(models.QuerySet):
    def shown(self, *, on=None):
        """Blocks switched on and within their dates on the day ``on`` (default: today)."""
        on = on or timezone.localdate()
        return (
            self.filter(active=True)
            .filter(Q(show_from__isnull=True) | Q(show_from__lte=on))
            .filter(Q(show_until__isnull=True) | Q(show_until__gte=on))
        )

    def visible(self, placement: str, *, on=None, article: Article | None = None):
        """The blocks patients see at ``placement`` on the day ``on`` (default: today), in order,
        with their opening hours.

        A block restricted to chosen articles shows only on those articles' pages.
        """
        return VisibleBlocks(self.filter(placement=placement), on=on, article=article).at(
            placement, article
        )


def _shown_blocks(queryset, on: dt.date) -> tuple[list[ContactBlock], dict[int, set[int]]]:
    """The blocks of ``queryset`` shown on the day ``on``, in order, with their opening hours,
    and the articles each block restricted to chosen articles is shown on."""
    blocks = sorted(
        (block for block in queryset.filter(active=True).order_by() if block.is_shown(on)),
        key=lambda block: (block.position, block.name, block.pk),
    )
    chosen: dict[int, set[int]] = {}
    if blocks:
        prefetch_related_objects(blocks, "hours")
        rows = ContactBlock.articles.through.objects.filter(contactblock__in=blocks)
        for block_id, article_id in rows.values_list("contactblock_id", "article_id"):
            chosen.setdefault(block_id, set()).add(article_id)
    return blocks, chosen


class VisibleBlocks:
    """The blocks shown on one day at every placement, with their opening hours.

    A page shows blocks at up to three placements (its own, the end of an article, the footer);
    ``at(placement, article)`` answers each of them from the same rows. The dates are checked
    here rather than in SQL, and the order too: staff keep a handful of blocks.
    """

    def __init__(self, queryset=None, *, on=None, article: Article | None = None):
        on = on or timezone.localdate()
        self.article_id = article.pk if article is not None else None
        if queryset is None:
            queryset = ContactBlock.objects.all()
        self.blocks, self.chosen = _shown_blocks(queryset, on)

    def answers(self, article: Article | None) -> bool:
        """Whether these rows can say what shows on ``article``'s page (or on a page that is no
        article's)."""
        return article is None or article.pk == self.article_id

    def at(self, placement: str, article: Article | None = None) -> list[ContactBlock]:
        here = article is not None and article.pk == self.article_id
        return [
            block
            for block in self.blocks
            if block.placement == placement
            and (block.pk not in self.chosen or (here and article.pk in self.chosen[block.pk]))
        ]


class ContactBlock(Versioned):
    key = models.CharField(
        max_length=100,
        unique=True,
        validators=[key_validator],
        help_text="Short permanent name, also the name of its file in content/clinics/. "
        "Lowercase words joined by hyphens.",
    )
    name = models.CharField(
        max_length=100,
        help_text="For staff only, to tell blocks apart, e.g. 'Main clinic, footer'.",
    )
    clinic_name = models.CharField(
        max_length=200, help_text="The clinic's name as patients know it."
    )
    heading = models.CharField(
        max_length=100, help_text="The block's heading on the page, e.g. 'Talk to our team'."
    )
    body = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text=f"Optional. A sentence or two in Markdown, at most {BODY_MAX_LENGTH} characters.",
    )
    body_html = models.TextField(editable=False, default="")

    phone = phones.PhoneNumberField(
        help_text="The number patients call, with its area code, e.g. (503) 555-0123. It is "
        "shown as a link that dials it."
    )
    sms_phone = phones.PhoneNumberField(
        "text message number",
        blank=True,
        help_text="Optional. A number that receives text messages, if the clinic answers them.",
    )
    email = models.EmailField(blank=True, help_text="Optional. Shown as a link that opens email.")
    booking_url = models.URLField(
        "booking link",
        max_length=500,
        blank=True,
        validators=[validate_https],
        help_text="Optional. The address of the online booking page; it must start with https://.",
    )

    street_address = models.CharField(
        max_length=200, blank=True, help_text="Street and number, suite or floor."
    )
    locality = models.CharField("city or town", max_length=100, blank=True)
    region = models.CharField(
        "state", max_length=100, blank=True, help_text="Two letters for a US state, e.g. OR."
    )
    postal_code = models.CharField("ZIP code", max_length=20, blank=True)
    country = models.CharField(
        max_length=2,
        default="US",
        validators=[RegexValidator(r"^[A-Z]{2}$", "Use the two-letter country code, e.g. US.")],
        help_text="Two-letter country code.",
    )

    placement = models.CharField(
        max_length=20,
        choices=Placement.choices,
        help_text="Where on the site the block appears.",
    )
    articles = models.ManyToManyField(
        Article,
        blank=True,
        related_name="contact_blocks",
        help_text="Only for 'End of every article': choose articles to show the block on those "
        "alone. Leave empty to show it on every article.",
    )
    active = models.BooleanField(
        default=True, help_text="Untick to take the block off the site at once."
    )
    show_from = models.DateField(
        null=True, blank=True, help_text="Optional. The first day the block is shown."
    )
    show_until = models.DateField(
        null=True, blank=True, help_text="Optional. The last day the block is shown."
    )
    position = models.PositiveIntegerField(
        default=0, help_text="Order among blocks in the same place: 1 comes first."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ContactBlockQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["body_html"])

    # Related rows a review of the block covers (editorial/review.py).
    REVIEW_RELATED = ("hours", "articles")

    class Meta:
        ordering = ["placement", "position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(show_from__isnull=True)
                | Q(show_until__isnull=True)
                | Q(show_until__gte=F("show_from")),
                name="contactblock_dates_in_order",
                violation_error_message="The last day shown is before the first day shown.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.body = self.body.replace("\r\n", "\n").strip()
        self.body_html = markup.render(self.body, id_prefix=f"clinic-{self.key}-").html
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "body", "body_html"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.show_from and self.show_until and self.show_until < self.show_from:
            errors["show_until"] = (
                f"The last day shown ({date_format(self.show_until, 'F j, Y')}) is before the "
                f"first day shown ({date_format(self.show_from, 'F j, Y')}). Correct one of the "
                "dates."
            )
        if self.has_address:
            for field in ("street_address", "locality"):
                if not getattr(self, field):
                    errors[field] = "An address needs at least the street and the city or town."
        if errors:
            raise ValidationError(errors)

    def is_live(self) -> bool:
        """Always, as far as review goes: a block switched off or outside its dates is one tick
        or one midnight away from patients, so a change to it waits for a clinical reviewer
        whatever its state. (Switching it off is at once: see ``ContactBlockAdmin``.)"""
        return True

    def public_pages(self) -> list[tuple[str, str]]:
        """Where patients see the block, as (title, address): the pages a reviewer previews."""
        if self.placement == Placement.FOOTER:
            return [("Every page (footer), e.g. the home page", reverse("home"))]
        if self.placement == Placement.HOME:
            return [("Home page", reverse("home"))]
        if self.placement == Placement.FAQ:
            return [("Questions (FAQ)", reverse("faqs:list"))]
        articles = Article.objects.published()
        if self.pk is not None and self.articles.exists():
            articles = articles.filter(contact_blocks=self)
        return [(f"End of “{a}”", a.get_absolute_url()) for a in articles]

    def review_related(self) -> dict:
        """The opening hours and chosen articles, as a pending change holds them."""
        return {
            "hours": [
                {"day": h.day, "opens": f"{h.opens:%H:%M}", "closes": f"{h.closes:%H:%M}"}
                for h in self.hours.order_by("day", "opens")
            ],
            "articles": sorted(self.articles.values_list("pk", flat=True)),
        }

    def apply_review_related(self, values: dict) -> None:
        """The hours and articles of a published change replace the live ones."""
        if "hours" in values:
            self.hours.all().delete()
            for entry in values["hours"]:
                hours = OpeningHours(
                    block=self,
                    day=entry["day"],
                    opens=dt.time.fromisoformat(entry["opens"]),
                    closes=dt.time.fromisoformat(entry["closes"]),
                )
                hours.full_clean()
                hours.save()
        if "articles" in values:
            self.articles.set(Article.objects.filter(pk__in=values["articles"]))

    @classmethod
    def describe_review_related(cls, name: str, value) -> tuple[str, str]:
        """A label and readable text of hours or articles, for the reviewer's diff."""
        if name == "hours":
            lines = [
                f"{Day(entry['day']).label} {entry['opens']} to {entry['closes']}"
                for entry in value or []
            ]
            return "Opening hours", "\n".join(lines)
        titles = dict(Article.objects.filter(pk__in=value or []).values_list("pk", "title"))
        lines = [titles.get(pk, f"(deleted article #{pk})") for pk in value or []]
        return "Only on these articles", "\n".join(lines)

    def is_shown(self, on) -> bool:
        """As ``ContactBlock.objects.shown(on=on)`` says, for a block already fetched."""
        return (
            self.active
            and (self.show_from is None or self.show_from <= on)
            and (self.show_until is None or self.show_until >= on)
        )

    @property
    def has_address(self) -> bool:
        return any((self.street_address, self.locality, self.region, self.postal_code))

    @property
    def phone_display(self) -> str:
        return phones.display(self.phone)

    @property
    def sms_phone_display(self) -> str:
        return phones.display(self.sms_phone)

    def opening_days(self) -> list[dict]:
        """Every day of the week with its opening times (none: closed), or [] if no hours."""
        hours = list(self.hours.all())
        if not hours:
            return []
        return [{"day": day.label, "times": [h for h in hours if h.day == day]} for day in Day]


class OpeningHours(models.Model):
    block = models.ForeignKey(ContactBlock, on_delete=models.CASCADE, related_name="hours")
    day = models.PositiveSmallIntegerField(choices=Day.choices)
    opens = models.TimeField(help_text="e.g. 09:00")
    closes = models.TimeField(help_text="e.g. 17:00")

    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "opens"]
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="openinghours_closes_after_opens",
                violation_error_message="The closing time must be after the opening time.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_day_display()} {self.opens:%H:%M} to {self.closes:%H:%M}"

    def clean(self) -> None:
        super().clean()
        if self.opens is not None and self.closes is not None and self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": f"Closing time ({self.closes:%H:%M}) must be after opening time "
                    f"({self.opens:%H:%M}). For a day with a break, add one row for each part "
                    "of the day."
                }
            )
