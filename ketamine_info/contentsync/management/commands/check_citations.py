from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http.request import split_domain_port, validate_host
from django.test import Client

from ketamine_info.citations.integrity import Problem, audit
from ketamine_info.citations.models import Claim, Source
from ketamine_info.citations.page_check import check_page, claim_sources
from ketamine_info.sitemaps import SITEMAPS


def public_paths() -> list[str]:
    """Every page the sitemap lists, as a path."""
    paths = []
    for sitemap in SITEMAPS.values():
        # Django's sitemap view takes a class or an instance; so does this.
        sitemap = sitemap() if isinstance(sitemap, type) else sitemap
        paths.extend(sitemap.location(item) for item in sitemap.items())
    return list(dict.fromkeys(paths))


def _host(site_host: str) -> str:
    """A host the site answers to: its own address's if ALLOWED_HOSTS lets it in."""
    allowed = settings.ALLOWED_HOSTS or ["localhost"]
    if validate_host(split_domain_port(site_host)[0], allowed):
        return site_host
    return next((h for h in allowed if h != "*" and not h.startswith(".")), "localhost")


def rendered_page_problems() -> tuple[list[Problem], int]:
    """Every public page, asked for as a patient's browser asks for it, with its reference
    numbers followed (``page_check``); returns the problems and how many pages were read."""
    site = urlsplit(settings.SITE_URL)
    client = Client(HTTP_HOST=_host(site.netloc), raise_request_exception=False)
    sources = claim_sources()
    problems, paths = [], public_paths()
    for path in paths:
        response = client.get(path, secure=site.scheme == "https")
        if response.status_code != 200:
            problems.append(Problem("page not shown", f"{path} answers {response.status_code}"))
            continue
        report = check_page(response.content.decode(), sources)
        problems.extend(Problem(p.kind, f"{path}: {p.message}") for p in report.problems)
    return problems, len(paths)


class Command(BaseCommand):
    help = (
        "Check the citation registry: markers naming unknown claims, claims with no citation, "
        "claims no page uses, sources nothing cites, figure markers naming no figure, sources "
        "with no kind or with verification detail in their public description, and medical "
        "claims that cite a clinic's own page. Then every public page as patients get it: a "
        "reference number that leads to no entry or to a source not behind its claim, a "
        "back-link that leads to no number, a list whose count is not its entries'. Exits "
        "non-zero on any problem."
    )

    def handle(self, *args, **options):
        problems = audit()
        page_problems, pages = rendered_page_problems()
        problems += page_problems
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(f"check_citations found {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Citations OK: {Claim.objects.count()} claims, {Source.objects.count()} sources. "
                f"Reference numbers followed on {pages} public pages."
            )
        )
