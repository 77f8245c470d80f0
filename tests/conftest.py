import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


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
