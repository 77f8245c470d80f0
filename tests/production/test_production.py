"""The deployment of docs/deploy.md, as an operator sets it up, on loopback: nginx terminating TLS
(a throwaway self-signed certificate) -> Varnish with deploy/varnish/ketamine.vcl and the
deployment's site.vcl made from site.example.vcl -> two gunicorns started as the systemd unit
(deploy/systemd/) starts them, with DEPLOYMENT=production and the environment file of
deploy/systemd/ketamine.env.example -> one PostgreSQL and one Redis.

Through nginx, as visitors and staff reach it:

- public pages come from Varnish's cache after the first, with the security headers and HSTS;
  plain HTTP is sent to HTTPS;
- both app servers are healthy in Varnish's backend list (the probe's /healthz over plain HTTP),
  so a page Varnish never had is served, not a 503;
- BAN through nginx, or on Varnish's public listener, is refused;
- a content editor proposes a change; a clinical reviewer logs in with a password and a TOTP
  code and publishes it; patients see it through nginx within s-maxage;
- the settings the environment file gives pass `check --deploy`, and ALLOWED_HOSTS='*' fails it.
"""

from __future__ import annotations

import html
import http.client
import http.cookies
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from scripts.varnish import Varnish, varnishd
from tests.edge.test_two_servers import FormFields, Postgres, free_port, needs, pg_bin
from tests.edge.test_two_servers import wait_for_port as wait_for

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = Path(sys.executable).parent
DEPLOY = ROOT / "deploy"
HOST = "ketamine.example.org"
ARTICLE = "/learn/how-ketamine-works/"
PASSWORD = "a-long-test-password-for-production"
TOTP_KEY = secrets.token_hex(20)

pytestmark = pytest.mark.proxy


def environment_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines())
    return {k.strip(): v.strip() for k, v in (p for p in pairs if len(p) == 2) if k[:1] != "#"}


def unit_command(path: Path, port: int) -> list[str]:
    """The systemd unit's ExecStart, with this machine's virtualenv and a loopback port."""
    line = next(x for x in path.read_text().splitlines() if x.startswith("ExecStart="))
    command = shlex.split(line.removeprefix("ExecStart="))
    command[0] = str(BIN / Path(command[0]).name)
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    # Two workers each, not four: two app servers on a test machine's cores.
    command[command.index("--workers") + 1] = "2"
    return command


def nginx_config(folder: Path, tls: int, plain: int, varnish: int, cert: Path, key: Path) -> Path:
    site = (DEPLOY / "nginx" / "ketamine.conf").read_text()
    for old, new in [
        ("listen 443 ssl", f"listen 127.0.0.1:{tls} ssl"),
        ("listen 80;", f"listen 127.0.0.1:{plain};"),
        ("http://127.0.0.1:6081", f"http://127.0.0.1:{varnish}"),
        (f"/etc/ssl/certs/{HOST}.pem", str(cert)),
        (f"/etc/ssl/private/{HOST}.key", str(key)),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    (folder / "ketamine.conf").write_text(site)
    # What Debian's /etc/nginx/nginx.conf gives the site, in the test's own folder.
    main = folder / "nginx.conf"
    main.write_text(
        f"""
daemon off;
user www-data;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/ketamine.conf;
}}
"""
    )
    return main


class Stack:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.tls, self.plain = free_port(), free_port()
        self.varnish_port, self.purge_port, self.admin_port = free_port(), free_port(), free_port()
        self.app_ports = [free_port(), free_port()]
        self.postgres = Postgres()
        self.processes: list[subprocess.Popen] = []
        self.varnish: Varnish | None = None
        # The browser tests' async switch (tests/browser/conftest.py) is no production setting.
        test_only = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env = {k: v for k, v in os.environ.items() if k not in test_only}
        env = {k: v for k, v in env.items() if not k.startswith(("DATABASE_", "REDIS_"))}
        env.update(environment_file(DEPLOY / "systemd" / "ketamine.env.example"))
        self.env = env

    def start(self) -> None:
        redis_port = free_port()
        database = self.postgres.start()
        redis = self.spawn(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--dir", str(self.tmp)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(redis_port, redis, "redis-server")
        # This machine's addresses for the ones the environment file names.
        self.env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=database,
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            PURGE_URLS=f"http://127.0.0.1:{self.purge_port}/",
            TRUSTED_PROXIES="127.0.0.1",
            # What the operator fills in (the file leaves them empty on purpose).
            SITE_PUBLISHER="The test clinic's education team",
            SITE_FUNDING="Paid for by the test clinic, which provides ketamine treatment.",
            SITE_CONTACT_EMAIL="editor@ketamine.example.org",
            STATIC_ROOT=str(self.tmp / "static"),
            LOG_LEVEL="WARNING",
        )
        offline = self.tmp / "503.html"
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
        self.manage(
            "shell", "--no-imports", "-c",
            # The 503 page Varnish serves; a content editor, and a clinical reviewer with an
            # authenticator app.
            "from django.core.management import call_command; "
            f"call_command('write_offline_page', '{offline}'); "
            "from django.contrib.auth.models import Group, User; "
            "from django_otp.plugins.otp_totp.models import TOTPDevice; "
            f"u = User.objects.create_user('editor', 'e@example.org', '{PASSWORD}', "
            "is_staff=True); u.groups.add(Group.objects.get(name='Content editor')); "
            f"r = User.objects.create_user('reviewer', 'r@example.org', '{PASSWORD}', "
            "is_staff=True); r.groups.add(Group.objects.get(name='Clinical reviewer')); "
            f"TOTPDevice.objects.create(user=r, name='phone', key='{TOTP_KEY}', confirmed=True)",
        )  # fmt: skip
        for port in self.app_ports:
            app = self.spawn(
                unit_command(DEPLOY / "systemd" / "ketamine-gunicorn.service", port),
                stdout=subprocess.DEVNULL,
                stderr=open(self.tmp / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
            )
            wait_for(port, app, "gunicorn")
        site = (DEPLOY / "varnish" / "site.example.vcl").read_text()
        for n, port in enumerate(self.app_ports, start=1):
            site = site.replace(
                f'.host = "10.0.0.1{n}"; .port = "8000";', f'.host = "127.0.0.1"; .port = "{port}";'
            )
        assert site.count('.host = "127.0.0.1"') == 2, "site.example.vcl's backends changed"
        self.varnish = Varnish(
            self.varnish_port, self.app_ports, offline, memory="64m",
            purge_port=self.purge_port, site_vcl=site, admin_port=self.admin_port,
        )  # fmt: skip
        self.varnish.start()
        cert, key = self.tmp / "cert.pem", self.tmp / "key.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
             "-keyout", str(key), "-out", str(cert)],
            check=True, capture_output=True,
        )  # fmt: skip
        self.cert = cert
        folder = self.tmp / "nginx"
        folder.mkdir()
        config = nginx_config(folder, self.tls, self.plain, self.varnish_port, cert, key)
        test = subprocess.run(
            [nginx(), "-t", "-c", str(config), "-p", str(folder)], capture_output=True, text=True
        )
        assert test.returncode == 0, test.stderr
        proxy = self.spawn([nginx(), "-c", str(config), "-p", str(folder)])
        wait_for(self.tls, proxy, "nginx")

    def spawn(self, command: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, **kwargs)
        self.processes.append(process)
        return process

    def manage(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / "python"), "manage.py", *args],
            cwd=ROOT, env=env or self.env, check=env is None, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if self.varnish:
            self.varnish.stop()
        self.postgres.stop()


def nginx() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    needs(varnishd() is not None, "varnish is not installed (apt-get install varnish)")
    needs(Path(nginx()).exists(), "nginx is not installed (apt-get install nginx)")
    needs(shutil.which("openssl") is not None, "openssl is not installed")
    needs(shutil.which("redis-server") is not None, "redis-server is not installed")
    needs(pg_bin() is not None, "PostgreSQL is not installed (apt-get install postgresql)")
    needs(os.geteuid() == 0 and shutil.which("runuser") is not None, "needs root (runuser)")
    stack = Stack(tmp_path_factory.mktemp("production"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


class Browser:
    """HTTPS to nginx for https://ketamine.example.org, with cookies, as a browser sends them
    (Origin and Referer on a form: Django's CSRF check wants them over HTTPS)."""

    def __init__(self, stack: Stack):
        self.stack = stack
        self.context = ssl.create_default_context(cafile=str(stack.cert))
        self.context.check_hostname = False  # connecting to 127.0.0.1; the name is the Host
        self.cookies: dict[str, str] = {}

    def request(self, method, path, form=None, port=None, scheme="https", extra=None):
        if scheme == "https":
            connection = http.client.HTTPSConnection(
                "127.0.0.1", port or self.stack.tls, context=self.context, timeout=30
            )
        else:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": HOST, **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                    "Referer": f"https://{HOST}{path}",
                }
            )
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            content = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in http.cookies.SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, content
        finally:
            connection.close()

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, form):
        return self.request("POST", path, form)


def csrf(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def totp_now() -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(TOTP_KEY), 30, 0, 6, 0):06d}"


def log_in(stack: Stack, username: str, code: str = "") -> Browser:
    browser = Browser(stack)
    _, _, page = browser.get("/admin/login/?next=/admin/")
    form = {"csrfmiddlewaretoken": csrf(page), "username": username, "password": PASSWORD}
    status, headers, page = browser.post(
        "/admin/login/?next=/admin/", {**form, "otp_token": code, "next": "/admin/"}
    )
    assert (status, headers.get("Location")) == (302, "/admin/"), page[-1500:]
    return browser


def wrong_logins_straight_to_an_app_server(stack: Stack, count: int) -> list[tuple[int, float]]:
    """``count`` wrong passwords for one username from one visitor, sent to an app server as
    nginx and Varnish forward them (X-Forwarded-Proto and -For set): not through Varnish, so
    that this is measured whatever the proxy's health check says."""
    browser = Browser(stack)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9, 127.0.0.1"}
    port = stack.app_ports[0]
    _, _, page = browser.request("GET", "/admin/login/", port=port, scheme="http", extra=headers)
    form = {"csrfmiddlewaretoken": csrf(page), "username": "intruder", "password": "guess"}
    answers = []
    for _ in range(count):
        begun = time.monotonic()
        status, _, _ = browser.request(
            "POST", "/admin/login/", form, port=port, scheme="http", extra=headers
        )
        answers.append((status, round(time.monotonic() - begun, 3)))
    return answers


def test_production_as_documented(stack, record_property):
    visitor = Browser(stack)
    # What this deployment must do, each checked even when another fails.
    problems: list[str] = []

    def expect(condition: bool, problem: str) -> bool:
        if not condition:
            problems.append(problem)
        return condition

    # Plain HTTP is sent to HTTPS.
    status, headers, _ = visitor.request("GET", ARTICLE, port=stack.plain, scheme="http")
    assert (status, headers["Location"]) == (301, f"https://{HOST}{ARTICLE}")

    # Both app servers pass Varnish's health check (/healthz over plain HTTP, in production).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        backends = stack.varnish.admin("backend.list")
        if backends.count("healthy") >= 2:
            break
        time.sleep(0.5)
    expect(backends.count("healthy") >= 2, f"app servers not healthy in Varnish:\n{backends}")

    # Public pages: from the app servers the first time (not Varnish's 503 page), then from
    # Varnish's cache, with the security headers and HSTS.
    status, headers, first = visitor.get(ARTICLE)
    if expect(status == 200, f"first visit to a page: {status}, not 200"):
        status, headers, again = visitor.get(ARTICLE)
        assert (status, headers["X-Cache"]) == (200, "HIT")
        assert again == first
        assert headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert "s-maxage=60" in headers["Cache-Control"]
        assert headers.get("Set-Cookie") is None
        assert f'<link rel="canonical" href="https://{HOST}{ARTICLE}">' in first
        for path in ("/faq/", "/sources/"):
            assert visitor.get(path)[0] == 200, path

    # BAN through nginx, or straight to Varnish's public listener, is refused.
    through_nginx = visitor.request("BAN", "/")[0]
    expect(through_nginx == 403, f"BAN through nginx: {through_nginx}, not 403")
    public = visitor.request("BAN", "/", port=stack.varnish_port, scheme="http")[0]
    expect(public == 403, f"BAN on Varnish's public listener: {public}, not 403")
    if status == 200:
        expect(visitor.get(ARTICLE)[1]["X-Cache"] == "HIT", "a refused BAN dropped the page")

    # A locked-out visitor is refused at once: no worker waits on them.
    answers = wrong_logins_straight_to_an_app_server(stack, 8)
    refused = sorted(seconds for status, seconds in answers if status == 429)
    expect(
        len(refused) >= 3 and refused[len(refused) // 2] < 0.25,
        f"wrong logins from one visitor (status, seconds): {answers}",
    )

    # The environment file's settings pass check --deploy; a wildcard host does not.
    check = stack.manage("check", "--deploy", "--fail-level", "WARNING", env=stack.env)
    assert check.returncode == 0, check.stdout + check.stderr
    wildcard = stack.manage("check", "--deploy", env={**stack.env, "ALLOWED_HOSTS": "*"})
    expect(wildcard.returncode != 0, "check --deploy passes with ALLOWED_HOSTS='*'")

    assert not problems, "\n".join(problems)

    # A content editor proposes a change (the example contact block, switched on, renamed)...
    heading = f"Call us (edited {secrets.token_hex(3)})"
    editor = log_in(stack, "editor")
    _, _, listing = editor.get("/admin/clinics/contactblock/")
    change = re.search(r'href="(/admin/clinics/contactblock/\d+/change/)[^"]*"', listing).group(1)
    _, _, form = editor.get(change)
    fields = FormFields("contactblock_form")
    fields.feed(form)
    sent = [(n, heading if n == "heading" else v) for n, v in fields.fields if n != "active"]
    status, headers, page = editor.request(
        "POST", change, [*sent, ("active", "on"), ("_save", "Save")]
    )
    assert status == 302, page[-1500:]
    _, _, page = editor.get(headers["Location"])
    assert "waits for a clinical reviewer" in html.unescape(page), page[-1500:]
    assert heading not in visitor.get(ARTICLE)[2]

    # ...a clinical reviewer logs in with a password and the authenticator app's code...
    reviewer = log_in(stack, "reviewer", totp_now())
    _, _, listing = reviewer.get("/admin/editorial/pendingchange/")
    pending = re.search(r'href="(/admin/editorial/pendingchange/\d+/change/)[^"]*"', listing)
    _, _, screen = reviewer.get(pending.group(1))
    status, headers, page = reviewer.post(
        pending.group(1),
        {
            "csrfmiddlewaretoken": csrf(screen),
            "confirm": "on",
            "credentials": "Dana Lee, MD, psychiatrist",
            "publish": "Publish this change",
        },
    )
    if status == 302:
        status, headers, page = reviewer.get(headers["Location"])
    assert "patients now see" in page, page[-1500:]
    published = time.monotonic()

    # ...and patients see it through nginx within s-maxage (the publish purged Varnish).
    while time.monotonic() - published < 60:
        if html.escape(heading) in visitor.get(ARTICLE)[2]:
            break
        time.sleep(0.1)
    seen = time.monotonic() - published
    record_property(
        "figure", f"production stack: a published change seen through nginx after {seen:.2f} s"
    )
    assert seen < 60
