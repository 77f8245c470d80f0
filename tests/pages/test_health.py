"""/healthz as the proxy's health probe sees it: over plain HTTP in production (the probe does not
come through TLS), and 503 when the database cannot take a save."""

import json

import pytest
from django.db import connection

from tests.pages.test_security import production_env, run_manage

pytestmark = pytest.mark.django_db

PROBE = """
import json
from django.test import Client
client = Client(HTTP_HOST="ketamine.example.org")
for headers in ({}, {"HTTP_X_FORWARDED_PROTO": "https"}):
    response = client.get("/healthz", **headers)
    print(json.dumps([response.status_code, response.get("Location")]))
print(json.dumps([client.get("/").status_code, client.get("/")["Location"]]))
"""


def test_healthz_answers_the_probe_over_plain_http_in_production(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", CACHE_DIR=str(tmp_path / "cache")
    )
    result = run_manage("shell", "--no-imports", "-c", PROBE, env=env)
    assert result.returncode == 0, result.stderr
    without_header, with_header, page = (json.loads(line) for line in result.stdout.splitlines())
    # As Varnish's probe asks (no X-Forwarded-Proto), and as a probe that sends it.
    assert without_header == [200, None]
    assert with_header == [200, None]
    # Every other address still goes to HTTPS.
    assert page == [301, "https://ketamine.example.org/"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PRAGMA query_only is SQLite's")
def test_a_read_only_database_is_unhealthy(client):
    assert client.get("/healthz").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        response = client.get("/healthz")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "read-only"
    assert json.loads(response.content)["status"] == "unavailable"
