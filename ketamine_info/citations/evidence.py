"""Nothing published can lose its evidence.

A claim that a live page cites cannot be deleted, nor lose its last citation; a source that a
live claim cites cannot be deleted. These receivers refuse the deletion with ``ProtectedError``
whatever the way in (the admin, a bulk action, a content file, the shell); the admin catches it
earlier and names the pages (``EvidenceAdminMixin``).
"""

from __future__ import annotations

from django.db.models import ProtectedError
from django.db.models.signals import pre_delete

from .models import Citation, Claim, Source


def page_list(pages) -> str:
    return ", ".join(f"“{page}” ({page.get_absolute_url()})" for page in pages)


def claim_in_use(claim: Claim) -> str:
    pages = claim.used_on(public_only=True)
    if not pages:
        return ""
    return (
        f"The claim '{claim.key}' is cited by live pages and cannot be deleted: "
        f"{page_list(pages)}. Remove the citation from those pages first."
    )


def source_in_use(source: Source) -> str:
    claims = source.live_claims()
    if not claims:
        return ""
    pages = {page for claim in claims for page in claim.used_on(public_only=True)}
    return (
        f"The source '{source.key}' backs claims that live pages cite "
        f"({', '.join(c.key for c in claims)}) and cannot be deleted. Pages: "
        f"{page_list(sorted(pages, key=str))}."
    )


def last_citation_problem(claim: Claim, remaining: int) -> str:
    if remaining > 0 or not claim.is_cited_live():
        return ""
    return (
        f"The claim '{claim.key}' is cited by live pages "
        f"({page_list(claim.used_on(public_only=True))}) and must keep at least one citation."
    )


def refuse_claim_delete(sender, instance: Claim, **kwargs) -> None:
    problem = claim_in_use(instance)
    if problem:
        raise ProtectedError(problem, {instance})


def refuse_source_delete(sender, instance: Source, **kwargs) -> None:
    problem = source_in_use(instance)
    if problem:
        raise ProtectedError(problem, {instance})


def refuse_last_citation_delete(sender, instance: Citation, **kwargs) -> None:
    try:
        claim = Claim.objects.get(pk=instance.claim_id)
    except Claim.DoesNotExist:
        return
    remaining = claim.citations.exclude(pk=instance.pk).count()
    problem = last_citation_problem(claim, remaining)
    if problem:
        raise ProtectedError(problem, {instance})


def connect() -> None:
    pre_delete.connect(refuse_claim_delete, sender=Claim, dispatch_uid="evidence-claim")
    pre_delete.connect(refuse_source_delete, sender=Source, dispatch_uid="evidence-source")
    pre_delete.connect(
        refuse_last_citation_delete, sender=Citation, dispatch_uid="evidence-citation"
    )
