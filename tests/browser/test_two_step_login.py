"""Two-step login in a real browser: a reviewer sets it up with the key the page shows (as an
authenticator app would read it from the QR code), keeps the recovery codes, and logs in again:
the password, then the app's code on a screen of its own."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=steps_ahead):06d}"


def test_a_reviewer_sets_up_two_step_login_and_logs_in_with_a_code(page, reviewer, screenshot):
    page.goto("/admin/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")

    # Straight to the setup page: the rest of the admin waits for the second step.
    expect(page.locator("#content h1")).to_have_text("Set up two-step login")
    expect(page.locator(".otp-qr svg")).to_be_visible()
    screenshot("two-step-login-setup")
    secret = page.locator("#otp-secret").inner_text()
    page.goto("/admin/articles/article/")
    expect(page).to_have_url("/admin/otp/setup/")  # no way round it
    page.fill("#id_otp_token", "123456" if app_code(secret) != "123456" else "654321")
    page.click("input[type=submit]")
    expect(page.locator(".errorlist")).to_contain_text("That code is not right")
    page.wait_for_timeout(1100)  # django-otp makes a second try wait a second
    page.fill("#id_otp_token", app_code(secret))
    page.click("input[type=submit]")

    expect(page.locator("#content h1")).to_have_text("Two-step login is on")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.click("text=Continue to the admin")
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text("Log out")

    # Log out, and in again: the first screen says who will be asked for a code and takes the
    # password; the code has a screen of its own, where a wrong one is asked again without
    # the password being lost.
    page.locator("#logout-form button").click()
    page.goto("/admin/")
    expect(page.locator("#otp-help")).to_contain_text(
        "Clinical reviewers and administrators: you will be asked for the code"
    )
    expect(page.locator("#id_otp_token")).to_have_count(0)
    assert (found := axe_violations(page)) == [], describe("login", found)
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page).to_have_url("/admin/login/code/")
    expect(page.locator("#id_password")).to_have_count(0)
    expect(page.locator("#code-for")).to_contain_text("Your password is right, reviewer")
    screenshot("two-step-login-code")
    assert (found := axe_violations(page)) == [], describe("code", found)
    wrong = "000000" if app_code(secret, steps_ahead=1) != "000000" else "111111"
    page.fill("#id_otp_token", wrong)
    page.click("input[type=submit]")
    expect(page).to_have_url("/admin/login/code/")
    expect(page.locator(".errornote")).to_contain_text("That code is not right")
    page.wait_for_timeout(1100)  # django-otp makes a second try wait a second
    page.fill("#id_otp_token", app_code(secret, steps_ahead=1))
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    screenshot("two-step-login-done")
