import fcntl
import os
import pickle
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


def pytest_terminal_summary(terminalreporter):
    """Figures a test measures (``record_property("figure", text)``), shown after the run:
    with pytest-xdist a test's own output never reaches the terminal."""
    figures = [
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in report.user_properties
        if name == "figure"
    ]
    if figures:
        terminalreporter.section("figures measured by the tests")
        for figure in figures:
            terminalreporter.write_line(figure)


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with no page in the cache, and with no cache outage remembered."""
    from django.core.cache import caches

    from ketamine_info.caching.guard import guard
    from ketamine_info.caching.invalidation import replay_if_due

    guard.reset()
    # The check for owed invalidations runs when a test asks for it, not in a page's queries.
    replay_if_due.next_at = float("inf")
    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    guard.reset()
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def requests_commit(monkeypatch):
    """Each request of the test client ends as a real one does, its transaction committed: what
    waits for the commit (the page cache's invalidation, the BAN to the proxies) runs then.
    (A test's own database work stays in the test's transaction, which never commits.)"""
    from django.db import connection
    from django.test import Client

    request = Client.request

    def request_then_commit(self, **kwargs):
        start = len(connection.run_on_commit)
        try:
            return request(self, **kwargs)
        finally:
            # Run them and take them off the list, so that a test's own capture around the
            # request (django_capture_on_commit_callbacks) does not run them a second time.
            while len(connection.run_on_commit) > start:
                callbacks = connection.run_on_commit[start:]
                del connection.run_on_commit[start:]
                for _, callback, _robust in callbacks:
                    callback()

    monkeypatch.setattr(Client, "request", request_then_commit)


def verify_second_factor(client, user) -> None:
    """Marks ``client``'s session as past two-step login, as the login form does after a right
    code (django-otp keeps the device's id in the session)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=user, name="test: force_login")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def force_login_passes_two_step_login(monkeypatch):
    """``client.force_login(staff)`` skips the login form, and with it the second step that
    the admin requires of superusers and reviewers: here it also marks the session verified,
    so tests reach the admin as staff do after logging in. Production is unchanged; the tests
    of two-step login itself log in through the form (tests/editorial/test_staff_accounts.py).
    """
    from django.test.client import ClientMixin

    force_login = ClientMixin.force_login

    def force_login_verified(self, user, backend=None):
        force_login(self, user, backend)
        if user.is_staff:
            verify_second_factor(self, user)

    monkeypatch.setattr(ClientMixin, "force_login", force_login_verified)


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A writable copy of the miniature content tree."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


def _project_models():
    from django.apps import apps

    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_config.name.startswith("ketamine_info.")
    ]


def _read_shipped_rows() -> dict:
    """Every project row that ``load_content --publish`` makes from the real content/, by model
    label; the load itself is rolled back."""
    from django.db import transaction

    with transaction.atomic():
        call_command("load_content", str(settings.CONTENT_DIR), "--publish", stdout=StringIO())
        rows = {
            model._meta.label: [
                {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields}
                for obj in model._base_manager.all()
            ]
            for model in _project_models()
        }
        transaction.set_rollback(True)
    return {label: found for label, found in rows.items() if found}


@pytest.fixture(scope="session")
def _shipped_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """The rows of the shipped content, read once per run.

    Loading renders every Markdown body and takes seconds; the tests that need the shipped
    content get these rows inserted as they are instead (``restore_shipped_content``), which
    gives the same database in a fraction of the time. With pytest-xdist the first worker to
    get here loads and leaves the rows in the run's temporary folder for the others: every
    worker's database is made by the same migrations, so the same keys hold in each.
    """
    from django.apps import apps

    with django_db_blocker.unblock():
        if not os.environ.get("PYTEST_XDIST_WORKER"):
            rows = _read_shipped_rows()
        else:
            shared = tmp_path_factory.getbasetemp().parent / "shipped-rows.pickle"
            with open(f"{shared}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if shared.exists():
                    # Written by another worker of this run, in this run's own folder.
                    rows = pickle.loads(shared.read_bytes())  # noqa: S301
                else:
                    rows = _read_shipped_rows()
                    shared.write_bytes(pickle.dumps(rows))
    return {apps.get_model(label): found for label, found in rows.items()}


def _insert_statements(rows) -> list[tuple[str, list]]:
    """Each model's rows as one INSERT and its parameters, ready for the database."""
    from django.db import connection

    quote = connection.ops.quote_name
    statements = []
    for model, found in rows.items():
        fields = model._meta.concrete_fields
        # Names from the models, quoted; the values go as parameters.
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(model._meta.db_table),
            ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
        )
        params = [[f.get_db_prep_save(row[f.attname], connection) for f in fields] for row in found]
        statements.append((sql, params))
    return statements


@pytest.fixture(scope="session")
def _shipped_inserts(_shipped_rows, django_db_blocker):
    with django_db_blocker.unblock():
        return _insert_statements(_shipped_rows), list(_shipped_rows)


def restore_shipped_content(inserts) -> None:
    """Runs the INSERTs of ``_shipped_inserts``: the rows as they were read, with no model
    instances, ``save()`` or signals, so nothing is rendered or stamped again."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    statements, models = inserts
    # Foreign keys are checked at the end of the transaction, so the order does not matter.
    with transaction.atomic(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.executemany(sql, params)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.fixture
def shipped_content(db, _shipped_inserts):
    """The site's real content/, as ``load_content --publish`` leaves it in the test database."""
    restore_shipped_content(_shipped_inserts)


@pytest.fixture
def staff_client(client, django_user_model):
    """The test client, logged in as a superuser."""
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


def _staff_in_group(django_user_model, username: str, group: str, **names):
    from django.contrib.auth.models import Group

    from ketamine_info.editorial.roles import assign_permissions

    if not Group.objects.filter(name=group).exists():
        # A transactional test (the browser tests) empties every table, groups included.
        assign_permissions()

    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "a-long-test-password", is_staff=True, **names
    )
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db, django_user_model):
    """A staff member in the "Content editor" group (made by a migration)."""
    return _staff_in_group(django_user_model, "editor", "Content editor", first_name="Eddie")


@pytest.fixture
def reviewer(db, django_user_model):
    """A staff member in the "Clinical reviewer" group."""
    return _staff_in_group(
        django_user_model, "reviewer", "Clinical reviewer", first_name="Dana", last_name="Lee"
    )


@pytest.fixture
def editor_client(editor):
    from django.test import Client

    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(reviewer):
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    return client
