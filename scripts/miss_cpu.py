#!/usr/bin/env python3
"""CPU time per request of pages built from the database (page cache off), in-process.

    .venv/bin/python scripts/miss_cpu.py              # ms of CPU per request, page by page
    .venv/bin/python scripts/miss_cpu.py --profile /faq/   # and where the time goes

On a machine shared with other work, wrk's requests/s move with the neighbours' load; the CPU
time a request takes in this process moves much less. Each run builds a temporary SQLite
database from content/ (``load_content --publish``) and requests each page through Django's
WSGI handler, as gunicorn calls it (not the test client, whose instrumentation copies every
template's context), with the page cache off, after a warm-up. The article is measured twice:
built after another page (what it shares with other pages already fetched, as for most pages
built) and as the first page after a content change (everything fetched).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_COPY = "bench/article-sized.html"  # the article's bytes as a static file, as in bench.py
PAGES = [
    ("static", "/static/" + STATIC_COPY),
    ("article", "/learn/how-ketamine-works/"),
    ("FAQ", "/faq/"),
    ("search", "/search/?q=nausea"),
    ("home", "/"),
    ("glossary", "/glossary/"),
    ("sources", "/sources/"),
]


def setup() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="ketamine-miss-"))
    os.environ.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        CACHE_DIR=str(tmp / "cache"),
        STATIC_ROOT=str(tmp / "static"),
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
        PAGE_CACHE_SECONDS="0",
        DJANGO_SETTINGS_MODULE="ketamine_info.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_content", "--publish", stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("collectstatic", "--noinput", verbosity=0)
    copy = tmp / "static" / STATIC_COPY
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_bytes(b"x")  # whitenoise lists the files when it starts; the bytes come next


class Client:
    """GET through the WSGI handler, the body read as a server reads it."""

    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import RequestFactory

        self.handler = WSGIHandler()
        self.factory = RequestFactory()

    def get(self, path: str, body: bool = False):
        status = []
        response = self.handler(
            self.factory.get(path).environ, lambda code, headers: status.append(code)
        )
        content = b"".join(response)
        response.close()
        return content if body else int(status[0].split()[0])


def cpu_ms(client, path: str, rounds: int, *, after_edit: bool = False) -> float:
    """CPU ms per request of ``path``; ``after_edit``: each one the first after a content
    change."""
    from ketamine_info.caching.page_cache import bump_generation

    for _ in range(3):
        assert client.get(path) == 200, path
    elapsed = 0.0
    for _ in range(rounds):
        if after_edit:
            bump_generation()
        started = time.process_time()
        client.get(path)
        elapsed += time.process_time() - started
    return elapsed * 1000 / rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", metavar="PATH", help="profile this path instead")
    parser.add_argument("paths", nargs="*", help="other paths to measure too")
    args = parser.parse_args()
    setup()
    client = Client()
    from django.conf import settings

    article = dict(PAGES)["article"]
    Path(settings.STATIC_ROOT, STATIC_COPY).write_bytes(client.get(article, body=True))
    if args.profile:
        cpu_ms(client, args.profile, 1)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            client.get(args.profile)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "45"))
        )
        return 0
    static = None
    rows = [(label, path, False) for label, path in PAGES]
    rows.insert(2, ("  after an edit", dict(PAGES)["article"], True))
    rows += [(path, path, False) for path in args.paths]
    for label, path, after_edit in rows:
        # The best of five, since neighbours on a shared machine only ever slow a run down.
        best = min(cpu_ms(client, path, args.rounds, after_edit=after_edit) for _ in range(5))
        static = static or best
        print(
            f"{label:10} {path:32} {best:7.2f} ms CPU per request "
            f"(the static file's CPU time / this: {static / best:.3f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
