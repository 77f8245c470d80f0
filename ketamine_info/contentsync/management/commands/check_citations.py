from django.core.management.base import BaseCommand, CommandError

from ketamine_info.citations.integrity import audit
from ketamine_info.citations.models import Claim, Source


class Command(BaseCommand):
    help = (
        "Check the citation registry: markers naming unknown claims, claims with no citation, "
        "claims no page uses, sources nothing cites, figure markers naming no figure, sources "
        "with no kind or with verification detail in their public description, and medical "
        "claims that cite a clinic's own page. Exits non-zero on any problem."
    )

    def handle(self, *args, **options):
        problems = audit()
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(f"check_citations found {len(problems)} problem(s).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Citations OK: {Claim.objects.count()} claims, {Source.objects.count()} sources."
            )
        )
