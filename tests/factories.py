import datetime as dt

import factory

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation, Claim, Source
from ketamine_info.clinics.models import ContactBlock, Day, OpeningHours, Placement


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"A study of things, part {n}")
    kind = Source.Kind.TRIAL
    publisher = "Journal of Examples"
    published = "2020-01-15"


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"claim-{n}")
    statement = factory.Sequence(lambda n: f"Statement number {n} is true.")


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    locator = "Abstract"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Article {n}")
    summary = "A short summary of the article."
    topic = "about"
    position = factory.Sequence(int)
    status = "published"
    body = "## Section\n\nPlain words."


class ContactBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactBlock

    key = factory.Sequence(lambda n: f"clinic-block-{n}")
    name = factory.Sequence(lambda n: f"Block {n}")
    clinic_name = "Example Clinic"
    heading = "Talk to our team"
    phone = "+15035550123"
    placement = Placement.ARTICLE_END


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    block = factory.SubFactory(ContactBlockFactory)
    day = Day.MONDAY
    opens = dt.time(9)
    closes = dt.time(17)


def current_totp(device, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now for ``device`` (a TOTPDevice); ``steps_ahead=1``
    gives the next one (django-otp accepts it too, and never takes the same code twice)."""
    from django_otp.oath import totp

    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{code:0{device.digits}d}"


def article_form_data(article, **changes):
    """What the admin's article change form posts for ``article`` as it is, with ``changes``."""
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": article.topic,
        "position": article.position,
        "body": article.body,
        "status": article.status,
        "opened_version": article.version,
        **changes,
    }
