import factory

from ketamine_info.articles.models import Article
from ketamine_info.citations.models import Citation, Claim, Source


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
    published = True
    body = "## Section\n\nPlain words."
