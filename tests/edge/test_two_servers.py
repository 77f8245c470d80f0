"""The deployment of docs/deploy.md, for real, on loopback: Varnish with deploy/varnish/ketamine.vcl
in front of two gunicorn servers that share one throwaway PostgreSQL and one throwaway Redis.

- A page is served from the proxy's cache.
- A content editor's change made through server A waits for a clinical reviewer: neither the
  proxy nor server B shows it. Once a reviewer publishes it through server A, it shows through
  the proxy and through server B within a few seconds (the staleness measured is printed): the
  proxy was purged, through the listener only the app servers reach; a BAN on the public
  listener is refused.
- With both app servers stopped, pages the proxy has are still served (stale-if-error) and the
  others get the site's 503 page.
"""

from __future__ import annotations

import html.parser
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from scripts.varnish import Varnish, varnishd

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
ARTICLE = "/learn/how-ketamine-works/"
PASSWORD = "a-long-test-password-for-the-proxy"
# The reviewer's second step at login: a recovery code (single use; the test logs in once).
RECOVERY_CODE = "edge-recovery-1"
SHARED_MAX_AGE = 3  # seconds: short, so that stale-if-error can be seen within the test

pytestmark = pytest.mark.proxy


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{what} did not start")


def pg_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def needs(condition: bool, why: str) -> None:
    if not condition:
        pytest.skip(why)


class Postgres:
    """A throwaway cluster, as scripts/with-postgres.sh makes one."""

    def __init__(self):
        self.bin = pg_bin()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="ketamine-edge-pg-"))
        shutil.chown(self.folder, "postgres")

    def run(self, *args: str) -> None:
        # From its own folder: the checkout may be one the postgres user cannot enter.
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True, capture_output=True, cwd=self.folder,
        )  # fmt: skip

    def start(self) -> str:
        self.run(str(self.bin / "initdb"), "-D", f"{self.folder}/db", "-U", "postgres")
        self.run(
            str(self.bin / "pg_ctl"), "-D", f"{self.folder}/db", "-l", f"{self.folder}/log",
            "-w", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder} -F", "start",
        )  # fmt: skip
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "ketamine")
        return f"postgres://postgres@127.0.0.1:{self.port}/ketamine"

    def stop(self) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / "pg_ctl"), "-D",
             f"{self.folder}/db", "-m", "fast", "stop"],
            capture_output=True, cwd=self.folder,
        )  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)


class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.proxy_port, self.a_port, self.b_port = free_port(), free_port(), free_port()
        self.purge_port = free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.postgres = Postgres()
        self.redis: subprocess.Popen | None = None
        self.varnish: Varnish | None = None
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEPLOYMENT", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL"}
        }

    def start(self) -> None:
        database = self.postgres.start()
        redis_port = free_port()
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(self.tmp),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(redis_port, self.redis, "redis-server")
        offline = self.tmp / "offline" / "503.html"
        self.env.update(
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=database,
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            ALLOWED_HOSTS="127.0.0.1",
            SITE_URL=f"http://127.0.0.1:{self.proxy_port}",
            PURGE_URLS=f"http://127.0.0.1:{self.purge_port}/",
            STATIC_ROOT=str(self.tmp / "static"),
            PAGE_SHARED_MAX_AGE=str(SHARED_MAX_AGE),
            LOG_LEVEL="WARNING",
        )
        # Static files are collected (and compressed) meanwhile: no database needed.
        collect = subprocess.Popen(
            [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            self.manage("migrate", "--noinput")
            self.manage("load_content", "--publish")
        finally:
            output = collect.communicate(timeout=300)[0]
        assert collect.returncode == 0, output.decode()[-2000:]
        self.manage("write_offline_page", str(offline))
        self.manage(
            "shell", "--no-imports", "-c",
            # A content editor, who needs no second factor, and a clinical reviewer, who
            # does: a recovery code stands in for the authenticator app.
            "from django.contrib.auth.models import Group, User; "
            "from django_otp.plugins.otp_static.models import StaticDevice; "
            f"u = User.objects.create_user('staff', 's@example.org', '{PASSWORD}', "
            "is_staff=True); u.groups.add(Group.objects.get(name='Content editor')); "
            f"r = User.objects.create_user('reviewer', 'r@example.org', '{PASSWORD}', "
            "is_staff=True); r.groups.add(Group.objects.get(name='Clinical reviewer')); "
            "d = StaticDevice.objects.create(user=r, name='Recovery codes'); "
            f"d.token_set.create(token='{RECOVERY_CODE}')",
        )  # fmt: skip
        self.start_app("a", self.a_port)
        self.start_app("b", self.b_port)
        self.varnish = Varnish(
            self.proxy_port, [self.a_port, self.b_port], offline, purge_port=self.purge_port
        )
        self.varnish.start()

    def manage(self, *args: str) -> None:
        subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )  # fmt: skip

    def start_app(self, name: str, port: int) -> None:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "ketamine_info.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--error-logfile", str(self.tmp / f"gunicorn-{name}.log")],
            cwd=ROOT, env=self.env,
        )  # fmt: skip
        self.processes[name] = process
        wait_for_port(port, process, f"gunicorn {name}")

    def stop_app(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    def stop(self) -> None:
        for name in list(self.processes):
            self.stop_app(name)
        if self.varnish:
            self.varnish.stop()
        if self.redis:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        self.postgres.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    needs(varnishd() is not None, "varnish is not installed (apt-get install varnish)")
    needs(shutil.which("redis-server") is not None, "redis-server is not installed")
    needs(pg_bin() is not None, "PostgreSQL is not installed (apt-get install postgresql)")
    needs(os.geteuid() == 0 and shutil.which("runuser") is not None, "needs root (runuser)")
    stack = Stack(tmp_path_factory.mktemp("edge"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


def get(port: int, path: str, opener=None) -> tuple[int, dict, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class FormFields(html.parser.HTMLParser):
    """The fields a browser would submit from the form with id ``form_id``."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
            self.fields.append(self.textarea)
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append([self.select, a.get("value", "")])

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def staff_opener(port: int, username: str = "staff", code: str = ""):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    _, _, page = get(port, "/admin/login/", opener)
    fields = {"csrfmiddlewaretoken": csrf_token(page), "username": username, "password": PASSWORD}
    data = urllib.parse.urlencode({**fields, "otp_token": code, "next": "/admin/"}).encode()
    with opener.open(f"http://127.0.0.1:{port}/admin/login/", data, timeout=10) as response:
        assert "/admin/login/" not in response.url, "the staff login failed"
    return opener


def propose_contact_block(port: int, heading: str) -> None:
    """Through the admin of the app server on ``port``, as a content editor would: the shipped
    example block switched on with a new heading. Like every change patients would see, it is
    saved as a change waiting for a clinical reviewer."""
    opener = staff_opener(port)
    _, _, listing = get(port, "/admin/clinics/contactblock/", opener)
    change = re.search(r'href="(/admin/clinics/contactblock/\d+/change/)[^"]*"', listing).group(1)
    _, _, form = get(port, change, opener)
    parser = FormFields("contactblock_form")
    parser.feed(form)
    fields = [(n, heading if n == "heading" else v) for n, v in parser.fields if n != "active"]
    fields += [("active", "on"), ("_save", "Save")]
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(f"http://127.0.0.1:{port}{change}", data, timeout=30) as response:
        page = response.read().decode()
        assert "waits for a clinical reviewer" in page, page[-2000:]


def publish_pending_change(port: int) -> None:
    """Through the admin of the app server on ``port``, as a clinical reviewer would (with the
    second step of login): the one change waiting, published."""
    opener = staff_opener(port, "reviewer", RECOVERY_CODE)
    _, _, listing = get(port, "/admin/editorial/pendingchange/", opener)
    change = re.search(r'href="(/admin/editorial/pendingchange/\d+/change/)[^"]*"', listing)
    _, _, screen = get(port, change.group(1), opener)
    fields = {
        "csrfmiddlewaretoken": csrf_token(screen),
        "confirm": "on",
        "credentials": "Dana Lee, MD, psychiatrist",
        "publish": "Publish this change",
    }
    data = urllib.parse.urlencode(fields).encode()
    with opener.open(f"http://127.0.0.1:{port}{change.group(1)}", data, timeout=30) as response:
        page = response.read().decode()
        assert "patients now see" in page, page[-2000:]


def test_two_app_servers_behind_the_proxy(stack, record_property):
    proxy, a, b = stack.proxy_port, stack.a_port, stack.b_port

    # 1. A page is served from the proxy's cache, with the headers that allow it.
    status, headers, first = get(proxy, ARTICLE)
    assert status == 200
    assert f"s-maxage={SHARED_MAX_AGE}" in headers["Cache-Control"]
    status, headers, again = get(proxy, ARTICLE)
    assert (status, headers["X-Cache"]) == (200, "HIT")
    assert again == first
    assert "Set-Cookie" not in headers
    # Junk cookies and unused query strings do not get past it either.
    request = urllib.request.Request(
        f"http://127.0.0.1:{proxy}{ARTICLE}", headers={"Cookie": "csrftoken=junk; x=1"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["X-Cache"] == "HIT"
    assert get(b, ARTICLE)[2] == first  # server B has it in the shared page cache

    # 2. A content editor's change through server A waits for a clinical reviewer: neither the
    # proxy nor server B shows it (the save made every page stale, so both are rebuilt)...
    new_title = f"Call us (edited {secrets.token_hex(3)})"
    assert new_title not in first
    propose_contact_block(a, new_title)
    time.sleep(0.5)
    for port in (proxy, b):
        assert "Call us" not in get(port, ARTICLE)[2], port
    # A BAN from loopback on the public listener (where a TLS proxy on this host sends every
    # visitor's request) is refused, and drops nothing.
    ban = urllib.request.Request(f"http://127.0.0.1:{proxy}/", method="BAN")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(ban, timeout=10)
    assert refused.value.code == 403
    assert get(proxy, ARTICLE)[1]["X-Cache"] == "HIT"
    # ...until a reviewer publishes it through server A: it then reaches the proxy and server B
    # within a few seconds.
    publish_pending_change(a)
    saved = time.monotonic()
    seen: dict[str, float] = {}
    first_proxy_answer = None
    while len(seen) < 2 and time.monotonic() - saved < 15:
        for name, port in (("proxy", proxy), ("server B", b)):
            if name in seen:
                continue
            status, headers, page = get(port, ARTICLE)
            if name == "proxy" and first_proxy_answer is None:
                first_proxy_answer = headers.get("X-Cache")
            if new_title.replace("(", "").replace(")", "") in page.replace("(", "").replace(
                ")", ""
            ):
                seen[name] = time.monotonic() - saved
        time.sleep(0.02)
    record_property("figure", f"staleness after a change published through server A: {seen}")
    assert set(seen) == {"proxy", "server B"}, seen
    # Well under s-maxage when the machine is quiet (the figure); a busy one may take longer.
    assert max(seen.values()) < 10, seen
    # Publishing purged the proxy: its first answer was fetched again, not a stale copy.
    assert first_proxy_answer == "MISS"

    # 3. Both app servers stopped: what the proxy has is still served, past its s-maxage
    # (stale-if-error); a page it never had gets the site's 503 page.
    get(proxy, "/faq/")
    stack.stop_app("a")
    stack.stop_app("b")
    time.sleep(SHARED_MAX_AGE + 1.5)  # past s-maxage; the health probes have noticed
    for path in (ARTICLE, "/faq/"):
        status, headers, page = get(proxy, path)
        assert status == 200, path
        assert int(headers["Age"]) > SHARED_MAX_AGE, path
    assert new_title in get(proxy, ARTICLE)[2]
    status, headers, page = get(proxy, "/learn/what-to-expect/")
    assert status == 503
    assert "not available right now" in page
    assert 'href="tel:988"' in page
    assert "Guru Meditation" not in page
