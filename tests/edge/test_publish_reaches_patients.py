"""A publish reaches patients through the proxy, whatever the cache was doing, and a BAN reaches
every copy the proxy keeps: Varnish with deploy/varnish/ketamine.vcl in front of gunicorn, a real
redis-server as the shared cache, a throwaway SQLite database.

- Redis stopped (paused, so that it comes back with the pages it held) while a reviewer
  publishes: once Redis is back, the new text is what the proxy serves within ``s-maxage``; the
  same when the worker that published is restarted before Redis comes back.
- Copies of a page stored under ``localhost``, ``LOCALHOST`` and ``127.0.0.1`` are all dropped
  by one BAN.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from scripts.varnish import Varnish, varnishd
from tests.edge.test_two_servers import csrf_token, free_port, get, staff_opener, wait_for_port

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
CONTENT = ROOT / "tests" / "fixtures" / "content"
ARTICLE = "/learn/first-article/"
PASSWORD = "a-long-test-password-for-the-proxy"
CODES = ["edge-code-1", "edge-code-2", "edge-code-3"]  # the reviewer's recovery codes
SHARED_MAX_AGE = 2  # seconds
RETRY_SECONDS = 1  # CACHE_RETRY_SECONDS

pytestmark = pytest.mark.proxy


class Site:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.proxy_port, self.app_port, self.redis_port = free_port(), free_port(), free_port()
        self.purge_port = free_port()  # Varnish's purge listener: BAN is refused elsewhere
        self.redis: subprocess.Popen | None = None
        self.app: subprocess.Popen | None = None
        self.varnish: Varnish | None = None
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEPLOYMENT", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
        }
        self.env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=f"http://127.0.0.1:{self.proxy_port}",
            PURGE_URLS=f"http://127.0.0.1:{self.purge_port}/",
            STATIC_ROOT=str(tmp / "static"),
            PAGE_SHARED_MAX_AGE=str(SHARED_MAX_AGE),
            CACHE_RETRY_SECONDS=str(RETRY_SECONDS),
            LOG_LEVEL="WARNING",
        )

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    def start(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.redis_port, self.redis, "redis-server")
        collect = subprocess.Popen(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            self.manage("migrate", "--noinput")
            self.manage("load_content", str(CONTENT), "--publish")
        finally:
            output = collect.communicate(timeout=300)[0]
        assert collect.returncode == 0, output.decode()[-2000:]
        offline = self.tmp / "503.html"
        self.manage("write_offline_page", str(offline))
        self.manage(
            "shell", "--no-imports", "-c",
            "from django.contrib.auth.models import Group, User; "
            "from django_otp.plugins.otp_static.models import StaticDevice; "
            f"r = User.objects.create_user('reviewer', 'r@example.org', '{PASSWORD}', "
            "is_staff=True); r.groups.add(Group.objects.get(name='Clinical reviewer')); "
            "d = StaticDevice.objects.create(user=r, name='Recovery codes'); "
            + "; ".join(f"d.token_set.create(token='{code}')" for code in CODES),
        )  # fmt: skip
        self.app = subprocess.Popen(
            [str(BIN / "gunicorn"), "ketamine_info.wsgi", "--bind", f"127.0.0.1:{self.app_port}",
             "--workers", "1", "--error-logfile", str(self.tmp / "gunicorn.log")],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        wait_for_port(self.app_port, self.app, "gunicorn")
        self.varnish = Varnish(
            self.proxy_port, [self.app_port], offline, purge_port=self.purge_port
        )
        self.varnish.start()

    def worker(self) -> int:
        children = Path(f"/proc/{self.app.pid}/task/{self.app.pid}/children").read_text().split()
        return int(children[0]) if children else 0

    def restart_worker(self) -> None:
        """As a deployment does (gunicorn's HUP): a new worker, which remembers nothing."""
        old = self.worker()
        self.app.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.worker() not in (0, old):
                return
            time.sleep(0.1)
        raise RuntimeError("no new worker")

    def stop(self) -> None:
        if self.varnish:
            self.varnish.stop()
        for process in (self.app, self.redis):
            if process and process.poll() is None:
                if process is self.redis:
                    process.send_signal(signal.SIGCONT)
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if varnishd() is None:
        pytest.skip("varnish is not installed (apt-get install varnish)")
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    site = Site(tmp_path_factory.mktemp("publish"))
    try:
        site.start()
        yield site
    finally:
        site.stop()


def title_of(port: int, host: str | None = None) -> str:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{ARTICLE}")
    if host:
        request.add_header("Host", host)
    with urllib.request.urlopen(request, timeout=10) as response:
        page = response.read().decode()
    return page.split("<h1>", 1)[1].split("</h1>", 1)[0].strip()


def propose_title(site: Site, title: str) -> None:
    """An editor's change to the live article, waiting for review (as the admin saves it)."""
    site.manage(
        "shell", "--no-imports", "-c",
        "from ketamine_info.articles.models import Article; "
        "from ketamine_info.editorial import review; "
        "a = Article.objects.get(slug='first-article'); "
        f"review.propose(Article, {{'title': '{title}'}}, live=a)",
    )  # fmt: skip


def publish_through_admin(site: Site, opener) -> None:
    """The one change waiting, published by the reviewer on the review screen."""
    port = site.app_port
    _, _, listing = get(port, "/admin/editorial/pendingchange/?state__exact=open", opener)
    url = re.search(r'href="(/admin/editorial/pendingchange/\d+/change/)', listing).group(1)
    _, _, screen = get(port, url, opener)
    fields = {
        "csrfmiddlewaretoken": csrf_token(screen),
        "confirm": "on",
        "credentials": "Dana Lee, MD, psychiatrist",
        "publish": "Publish this change",
    }
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(f"http://127.0.0.1:{port}{url}", data, timeout=30) as response:
        assert "patients now see" in response.read().decode()


def patients_see(site: Site, title: str, within: float) -> float | None:
    """Seconds until the proxy serves ``title`` and keeps serving it for ``s-maxage``."""
    started = time.monotonic()
    seen_since = None
    while time.monotonic() - started < within + SHARED_MAX_AGE + 1:
        try:
            shown = title_of(site.proxy_port)
        except OSError:  # the proxy's 503 while no app server is healthy yet
            shown = None
        if shown == title:
            seen_since = seen_since or time.monotonic()
            if time.monotonic() - seen_since > SHARED_MAX_AGE + 0.5:
                return seen_since - started
        else:
            seen_since = None
        time.sleep(0.1)
    return None


@pytest.mark.parametrize("restart", [False, True], ids=["same worker", "worker restarted"])
def test_a_publish_made_while_redis_is_stopped_reaches_patients(site, restart, record_property):
    old = title_of(site.proxy_port)
    assert title_of(site.proxy_port) == old  # stored by the app's cache and by the proxy
    new = f"Published while Redis was stopped {secrets.token_hex(3)}"
    propose_title(site, new)
    reviewer = staff_opener(site.app_port, "reviewer", CODES[int(restart)])
    # Patients read the page meanwhile: the app's cache (Redis) and the proxy hold it.
    for port in (site.app_port, site.proxy_port):
        assert title_of(port) == old
    site.redis.send_signal(signal.SIGSTOP)  # Redis keeps the old pages and generation
    try:
        publish_through_admin(site, reviewer)
        if restart:
            site.restart_worker()
        time.sleep(0.5)
    finally:
        site.redis.send_signal(signal.SIGCONT)
    took = patients_see(site, new, within=SHARED_MAX_AGE + RETRY_SECONDS)
    record_property("figure", f"publish during a Redis stop, restart={restart}: {took}")
    assert took is not None, "patients still get the old page"
    assert title_of(site.app_port) == new  # the app's own cache too


def test_a_ban_reaches_every_host_spelling(site):
    spellings = [f"{name}:{site.proxy_port}" for name in ("localhost", "LOCALHOST", "127.0.0.1")]
    before = title_of(site.proxy_port)
    for host in spellings:
        assert title_of(site.proxy_port, host) == before
    # Changed behind the page cache's back (as a restored backup would), so only a BAN that
    # reaches a copy makes the proxy fetch it again.
    site.manage(
        "shell", "--no-imports", "-c",
        "from ketamine_info.articles.models import Article; "
        "Article.objects.filter(slug='first-article').update(title='Restored')",
    )  # fmt: skip
    for host in spellings:
        assert title_of(site.proxy_port, host) == before, host  # still the proxy's copy
    site.manage("clear_page_cache")  # the app's BAN, sent with SITE_URL's host
    for host in spellings:
        assert title_of(site.proxy_port, host) == "Restored", host
