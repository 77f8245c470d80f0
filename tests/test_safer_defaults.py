"""Safer defaults (issue 19, point 8): where staff land after login, a deploy check that
catches development addresses in production, HSTS extras only on request, no shared gunicorn
control socket."""

import subprocess

import pytest

from tests.pages.test_security import ROOT, production_env, run_manage

pytestmark = pytest.mark.django_db


def test_login_with_a_refused_next_lands_in_the_admin(client, django_user_model):
    django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-pw-1234")
    response = client.post(
        "/admin/login/?next=https://evil.example.com/",
        {"username": "staff", "password": "a-long-pw-1234", "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert response["Location"] in ("/admin/", "/admin/otp/setup/")


@pytest.mark.parametrize(
    ("setting", "value", "error"),
    [
        ("ALLOWED_HOSTS", "ketamine.example.org,127.0.0.1", "ketamine_info.E001"),
        ("ALLOWED_HOSTS", "localhost", "ketamine_info.E001"),
        ("ALLOWED_HOSTS", "*", "ketamine_info.E003"),
        ("ALLOWED_HOSTS", "ketamine.example.org,*", "ketamine_info.E003"),
        ("SITE_URL", "http://127.0.0.1:8000", "ketamine_info.E002"),
        ("SITE_URL", "https://localhost", "ketamine_info.E002"),
        ("SITE_PUBLISHER", "", "ketamine_info.E020"),
        ("SITE_FUNDING", " ", "ketamine_info.E020"),
        ("SITE_CONTACT_EMAIL", "", "ketamine_info.E020"),
    ],
)
def test_deploy_check_fails_in_production_with_loopback_addresses(setting, value, error):
    result = run_manage("check", "--deploy", env=production_env(**{setting: value}))
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_hsts_extras_are_off_unless_a_setting_turns_them_on():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    default = run_manage("shell", "--no-imports", "-c", code, env=production_env())
    assert default.stdout.split() == ["31536000", "False", "False"]
    asked = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        env=production_env(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1"),
    )
    assert asked.stdout.split() == ["31536000", "True", "True"]
    # Turned on, they are in the header; and the deploy check stays clean either way.
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        env=production_env(SECURE_HSTS_PRELOAD="1", SECURE_HSTS_INCLUDE_SUBDOMAINS="1"),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_gunicorn_started_from_the_project_has_no_shared_control_socket():
    # As `make run` and scripts/bench.py start it: from the project folder.
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "ketamine_info.wsgi", "--print-config"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    config = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    config = {k.strip(): v.strip() for k, v in config.items()}
    assert config["control_socket_disable"] == "True", result.stdout[-2000:] + result.stderr
