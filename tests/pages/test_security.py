"""Secure by default: headers on every response, a clean deploy check with production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/", "/learn/page/", "/faq/", "/sources/", "/nope/", "/admin/"])
def test_security_headers_on_every_response(client, path):
    ArticleFactory(slug="page")
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_public_pages_have_no_inline_script_that_the_policy_would_block(client):
    ArticleFactory(slug="page")
    html = client.get("/learn/page/").content.decode()
    scripts = html.count("<script")
    assert scripts == html.count('<script type="application/ld+json">')
    assert " style=" not in html and "<style" not in html


def production_env(**extra):
    # The browser tests allow async-unsafe DB access in this process; a deployment must not.
    leave_out = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in leave_out}
    env.update(
        DJANGO_SETTINGS_MODULE="ketamine_info.settings",
        DEPLOYMENT="production",
        DEBUG="0",
        SECRET_KEY="x7Jp2-QvL9zR4nWc8sYbT1uKe6oHa3fDm5gXiN0lVrSqBwEyZtCjUkPhGdMaOs",
        ALLOWED_HOSTS="ketamine.example.org",
        SITE_URL="https://ketamine.example.org",
        # Made-up, as the deploy check only asks that they are filled in.
        SITE_PUBLISHER="Example Publisher",
        SITE_FUNDING="Paid for by Example Publisher, which provides none of the treatments.",
        SITE_CONTACT_EMAIL="editor@example.org",
    )
    env.update(extra)
    return env


def run_manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_deploy_check_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage("check", env=production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_cookies_are_secure_and_http_only():
    code = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=production_env())
    assert result.stdout.split() == ["True", "True", "True", "True", "31536000"]
