"""``address(viewname, *args)``: ``reverse()``, remembered for the life of the process.

reverse() costs about 35 µs of CPU a call, and an article links to a dozen other pages (the
pager, related articles and questions, the header and footer): about 0.5 ms a page built
(issue 17). The same view name and arguments always give the same address under the same
URLconf and script prefix, so the answer is kept under those. The arguments are slugs and keys
of content; their number is bounded by the content, and the store by ``MAX_ADDRESSES``.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

MAX_ADDRESSES = 4096


@lru_cache(maxsize=MAX_ADDRESSES)
def _reverse(viewname: str, args: tuple, urlconf: str, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, args=args)


def resolving_context() -> tuple[str, str]:
    """What reverse() answers depend on besides its arguments: the URLconf, the script prefix."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


def address(viewname: str, *args) -> str:
    return _reverse(viewname, args, *resolving_context())
