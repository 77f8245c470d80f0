import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with no page in the cache, and with no cache outage remembered."""
    from django.core.cache import caches

    from ketamine_info.pages.guard import guard

    guard.reset()
    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    guard.reset()
    for alias in ("default", "pages"):
        caches[alias].clear()


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """A writable copy of the miniature content tree."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture
def shipped_content(db):
    """The site's real content/, loaded into the test database."""
    call_command("load_content", str(settings.CONTENT_DIR), stdout=StringIO())


@pytest.fixture
def staff_client(client, django_user_model):
    """The test client, logged in as a superuser."""
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


def _staff_in_group(django_user_model, username: str, group: str, **names):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group

    if not Group.objects.filter(name=group).exists():
        # A transactional test (the browser tests) empties every table, the groups that a
        # migration made included: make them again, the same way.
        importlib.import_module(
            "ketamine_info.editorial.migrations.0001_staff_groups"
        ).assign_permissions(apps)

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
