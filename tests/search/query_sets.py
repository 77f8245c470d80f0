"""The measurement both patient query sets share: the share of queries with a right page among
the first results, and the misses."""

from ketamine_info.search.backends import search

TOP = 3


def measure(queries: dict, url, *, name: str, language: str | None = None):
    """(share, report): ``queries`` maps each query to the pages that answer it, ``url`` turns
    a page's short name into its address."""
    misses = []
    for query, pages in queries.items():
        wanted = {url(page) for page in pages}
        found = [hit.url for hit in search(query, language=language).hits[:TOP]]
        if not wanted & set(found):
            misses.append(f"  {query!r}: got {found or 'nothing'}")
    share = 1 - len(misses) / len(queries)
    report = f"{name}: {share:.0%} with a right page in the top {TOP} " + (
        f"({len(queries) - len(misses)} of {len(queries)})"
    )
    if misses:
        report += "; misses:\n" + "\n".join(misses)
    return share, report
