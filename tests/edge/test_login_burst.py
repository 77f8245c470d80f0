"""A trickle of wrong logins costs the server almost nothing: under gunicorn with two sync workers,
as `make run` serves the site, 6 threads posting a wrong password for one username from one
address leave a cached page as fast as before (its median time stays within 3x; on a machine
whose cores are oversubscribed, under a second, where workers asleep made it seconds).

A worker that sleeps to slow a guesser is a worker no visitor gets: the lockout answers at once,
and the slow-down refuses attempts until a time instead of holding the request.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.edge.test_two_servers import free_port, wait_for_port

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
PAGE = "/learn/first-article/"
THREADS = 6
POSTS = 24
BURST_SECONDS = 12


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with two workers on SQLite and the file cache, as `make run` starts it."""
    tmp = tmp_path_factory.mktemp("burst")
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEPLOYMENT", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        CACHE_DIR=str(tmp / "cache"),
        CONTENT_DIR=str(FIXTURE_CONTENT),
        STATIC_ROOT=str(tmp / "static"),
        SITE_URL=f"http://127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
    )

    def manage(*args):
        subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=300,
        )  # fmt: skip

    manage("migrate", "--noinput")
    manage("load_content", "--publish")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage(
        "shell", "--no-imports", "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.create_user('reviewer', 'r@example.org', 'the-right-password-9', "
        "is_staff=True)",
    )  # fmt: skip
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "ketamine_info.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--error-logfile", str(tmp / "gunicorn.log")],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for_port(port, process, "gunicorn")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def page_time(port: int) -> float:
    begun = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{PAGE}", timeout=120) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - begun


def sample_pages(port: int, times: list, seconds: float, until=lambda: True) -> None:
    """A visitor asking for the page every 0.1 s, for ``seconds`` seconds and then until
    ``until()``, each on their own connection, whether or not the previous ones were answered."""
    visitors = []
    begun = time.monotonic()
    while time.monotonic() - begun < seconds or not until():
        visitor = threading.Thread(target=lambda: times.append(page_time(port)))
        visitor.start()
        visitors.append(visitor)
        time.sleep(0.1)
    for visitor in visitors:
        visitor.join()


def wrong_login(opener, port: int, answers: list) -> None:
    url = f"http://127.0.0.1:{port}/admin/login/?next=/admin/"
    with opener.open(url, timeout=120) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": "reviewer", "password": "guess"}
    ).encode()
    begun = time.perf_counter()
    try:
        with opener.open(url, data, timeout=120) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    answers.append((status, time.perf_counter() - begun))


def guesser(port: int, times: list[float], answers: list) -> None:
    """One of the threads: a wrong password for one username at each of ``times``."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    for at in times:
        time.sleep(max(0.0, at - time.monotonic()))
        wrong_login(opener, port, answers)


def test_a_burst_of_wrong_logins_leaves_cached_pages_fast(server, record_property):
    for _ in range(10):
        page_time(server)  # cached, in both workers
    before: list[float] = []
    sample_pages(server, before, 4)

    answers: list[tuple[int, float]] = []
    start = time.monotonic() + 0.5
    schedule = [start + n * BURST_SECONDS / POSTS for n in range(POSTS)]
    guessers = [
        threading.Thread(target=guesser, args=(server, schedule[n::THREADS], answers))
        for n in range(THREADS)
    ]
    for thread in guessers:
        thread.start()
    # The first five wrong passwords are checked, as any login is: hashing them is a login's
    # real cost, which a busy machine stretches to seconds. From the lockout on, every answer
    # used to hold a worker asleep; that is the rest of the burst, measured here.
    deadline = time.monotonic() + 120
    while len(answers) < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    during: list[float] = []
    sample_pages(server, during, 2, until=lambda: not any(t.is_alive() for t in guessers))
    for thread in guessers:
        thread.join()

    refused = [seconds for status, seconds in answers if status == 429]
    busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    record_property(
        "figure",
        f"cached page during {POSTS} wrong logins in {BURST_SECONDS} s from {THREADS} threads "
        f"(one address, one username; gunicorn, 2 workers), from the lockout on: median "
        f"{statistics.median(during) * 1000:.1f} ms, slowest {max(during) * 1000:.0f} ms "
        f"({len(during)} requests), against {statistics.median(before) * 1000:.1f} ms before; "
        f"locked-out answers (429): median {statistics.median(refused) * 1000:.0f} ms, slowest "
        f"{max(refused) * 1000:.0f} ms (load {busy:.1f} per core)",
    )
    assert len(answers) == POSTS
    assert len(refused) >= POSTS - 5  # one address, one username: locked out after five
    # At once, not after a sleep (some wait behind the five whose passwords were hashed).
    assert statistics.median(refused) < 1, refused
    # Within 3x (a 10 ms floor: other work moves a 2 ms median by more than that). On a machine
    # whose cores are oversubscribed, answering the lockouts themselves queues pages for
    # hundreds of milliseconds; there only the coarse bound holds: workers asleep put the
    # median in seconds.
    bound = 3 * max(statistics.median(before), 0.01) if busy < 2 else 1.0
    assert statistics.median(during) <= bound, (
        f"load {busy:.1f} per core",
        statistics.median(before),
        statistics.median(during),
    )
