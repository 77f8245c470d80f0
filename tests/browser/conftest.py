"""Browser tests: Playwright driving the machine's Chromium (never a downloaded browser).

Mark them ``@pytest.mark.browser``; ``make test-fast`` leaves them out, ``make chromium``
installs Debian's Chromium. The ``page`` fixture opens a fresh browser context against
pytest-django's ``live_server``, so relative URLs such as ``page.goto("/admin/")`` work.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test's thread, and Django refuses database
# access from a thread with a running loop unless told it is safe. It is here: the tests run
# one at a time and never await anything themselves.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# Screenshots for people to look at; git ignores the folder.
SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-results"


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make chromium`, or set CHROMIUM.")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """``screenshot("name")`` saves the full page to test-results/name.png and returns the path."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def staff_login(page, django_user_model):
    """Log in at /admin/ as a staff member who may do everything, with the password and the
    code of two-step login (a superuser must use it); returns the user."""

    def login():
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from tests.factories import current_totp

        user = django_user_model.objects.create_superuser(
            "staff", "staff@example.org", "a-long-test-password"
        )
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        page.goto("/admin/")
        page.fill("#id_username", "staff")
        page.fill("#id_password", "a-long-test-password")
        page.click("input[type=submit]")
        # The code on a screen of its own, after the password.
        page.fill("#id_otp_token", current_totp(device))
        page.click("input[type=submit]")
        page.wait_for_selector("#site-name")
        return user

    return login
