"""Admin hardening: lockout after repeated failed logins, and a configurable admin path."""

import importlib

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "dana", "dana@example.org", "right-password", is_staff=True
    )


def attempt(client, password, username="dana"):
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_sixth_attempt_is_refused_even_with_the_right_password(client, staff):
    for _ in range(5):
        response = attempt(client, "wrong")
        assert "_auth_user_id" not in client.session
    response = attempt(client, "right-password")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert "Try again in 1 hour," in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_four_failures_then_the_right_password_logs_in(client, staff):
    for _ in range(4):
        attempt(client, "wrong")
    response = attempt(client, "right-password")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_lockout_is_for_that_username_from_that_address(client, staff, django_user_model):
    django_user_model.objects.create_user("sam", password="sams-password", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    assert attempt(client, "sams-password", username="sam").status_code == 302


@pytest.fixture
def reload_urls():
    """Rebuild the URLconf after changing ADMIN_URL, and restore it afterwards."""
    import ketamine_info.urls

    def reload():
        clear_url_caches()
        importlib.reload(ketamine_info.urls)

    yield reload
    reload()


def test_the_admin_path_is_a_setting(staff_client, reload_urls):
    client = Client()
    with override_settings(ADMIN_URL="clinic-staff-7f3k/"):
        reload_urls()
        assert staff_client.get("/clinic-staff-7f3k/").status_code == 200
        assert staff_client.get("/admin/").status_code == 404
        response = client.get("/clinic-staff-7f3k/")
        assert response["Location"].startswith("/clinic-staff-7f3k/login/")
        assert "Disallow: /clinic-staff-7f3k/" in client.get("/robots.txt").content.decode()
        assert staff_client.get("/clinic-staff-7f3k/review-dashboard/").status_code == 200
