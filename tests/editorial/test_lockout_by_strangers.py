"""Strangers cannot lock a staff member out (issue 19, point 2): behind the reverse proxy the
lockout counts the visitor's own address, taken from X-Forwarded-For only when the request comes
from a trusted proxy; repeated failures for one username are slowed, never locked for all."""

import time

import pytest
from django.test import Client, override_settings

from ketamine_info.editorial import login

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """The login pause's clock, moved on by the tests."""
    now = [time.time()]
    monkeypatch.setattr(login, "now", lambda: now[0])
    return now


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "reviewer1", "r@example.org", "the-right-password-9", is_staff=True
    )


def through_proxy(visitor: str, forwarded: str | None = None) -> Client:
    """A browser at ``visitor`` whose requests reach the site through the proxy (nginx sets
    X-Forwarded-For to what it got plus the address it saw)."""
    header = f"{forwarded}, {visitor}" if forwarded else visitor
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)


def attempt(client, password, username="reviewer1"):
    return client.post(LOGIN, {"username": username, "password": password})


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_five_failures_from_one_address_leave_the_user_in_from_another(staff):
    stranger = through_proxy("203.0.113.7")
    for _ in range(5):
        attempt(stranger, "guess")
    assert attempt(stranger, "the-right-password-9").status_code == 429  # the stranger's pair
    reviewer = through_proxy("198.51.100.20")
    response = attempt(reviewer, "the-right-password-9")
    assert response.status_code == 302
    assert reviewer.get("/admin/").status_code in (200, 302)
    assert "_auth_user_id" in reviewer.session


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(staff, clock):
    # Straight to the app server, forging a different address on every try.
    for n in range(5):
        forger = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        attempt(forger, "guess")
    forger = Client(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert attempt(forger, "the-right-password-9").status_code == 429
    # Through the proxy, a forged left part is not the address either: nginx appends the real one.
    for n in range(5):
        clock[0] += 5  # past any pause of the username: these are checked
        attempt(through_proxy("203.0.113.8", forwarded=f"192.0.2.{n}"), "guess")
    late = through_proxy("203.0.113.8", forwarded="192.0.2.200")
    assert attempt(late, "the-right-password-9").status_code == 429


def test_without_trusted_proxies_the_header_is_never_read(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert login.client_ip(request) == "10.0.0.5"
    with override_settings(TRUSTED_PROXIES=["10.0.0.5"]):
        assert login.client_ip(request) == "192.0.2.1"
        junk = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="<script>")
        assert login.client_ip(junk) == "10.0.0.5"


def paused(response) -> bool:
    return "Too many wrong passwords for this username just now" in response.content.decode()


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_wrong_passwords_from_a_crowd_pause_the_username_without_holding_a_worker(staff, clock):
    crowd = [through_proxy(f"203.0.113.{n}") for n in range(12)]
    for member in crowd[:6]:  # past the limit, one try from each address
        assert not paused(attempt(member, "guess"))
    pauses = []
    for member in crowd[6:]:
        pauses.append(login.seconds_to_wait("reviewer1"))
        # While paused, a second try from an address that guessed wrong is refused at once,
        # its password unchecked and uncounted: the right one too.
        failures = login.failures_for("reviewer1")
        response = attempt(crowd[0], "the-right-password-9")
        assert response.status_code == 200 and paused(response)
        assert "_auth_user_id" not in response.wsgi_request.session
        assert login.failures_for("reviewer1") == failures
        clock[0] += pauses[-1] + 0.01
        assert not paused(attempt(member, "guess"))  # checked, wrong: paused again
    assert pauses == [0.25, 0.5, 1, 2, 2, 2]  # doubling, up to LOGIN_FAILURE_DELAY_MAX
    # The owner at their own address is not kept out meanwhile.
    assert login.seconds_to_wait("reviewer1") == 2
    reviewer = through_proxy("198.51.100.20")
    assert attempt(reviewer, "the-right-password-9").status_code == 302
    assert "_auth_user_id" in reviewer.session


def test_locked_out_attempts_are_refused_at_once_and_pause_nothing(staff, clock):
    stranger = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        attempt(stranger, "guess")
    clock[0] += 5  # past the pause the fifth failure may have started
    for _ in range(10):
        assert attempt(stranger, "guess").status_code == 429
    assert login.seconds_to_wait("reviewer1") == 0
    # Another address is not paused by them, and gets in.
    assert attempt(Client(REMOTE_ADDR="198.51.100.20"), "the-right-password-9").status_code == 302
