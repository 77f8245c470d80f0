"""The file cache of a single server counts its entries once every COUNT_EVERY writes instead of
before each one (ketamine_info/caching/files.py), and still stays within its size."""

import itertools
import os
import time

import pytest

from ketamine_info.caching import files
from ketamine_info.caching.files import COUNT_EVERY, FileCache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(FileCache, "_writes", itertools.count())
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4 * COUNT_EVERY}})


def test_the_folder_is_counted_once_every_count_every_writes(cache, monkeypatch):
    counts = []
    listing = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: counts.append(1) or listing())
    for n in range(2 * COUNT_EVERY):
        cache.set(f"page-{n}", n)
    assert len(counts) == 2  # Django's own: 100
    assert cache.get("page-7") == 7


def test_the_folder_stays_within_its_size(cache, tmp_path):
    limit = 4 * COUNT_EVERY
    for n in range(20 * limit):
        cache.set(f"page-{n}", n)
        assert len(list(tmp_path.glob("*.djcache"))) <= limit + COUNT_EVERY


def other_process(tmp_path) -> FileCache:
    """Another process's cache on the same folder (each process has its own instance)."""
    return FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 4 * COUNT_EVERY}})


def test_a_small_value_written_elsewhere_is_seen_at_once(cache, tmp_path):
    cache.set("generation", 41, None)
    settled = time.time() - files.SETTLED_SECONDS - 1  # written a while ago
    os.utime(cache._key_to_file("generation"), (settled, settled))
    assert cache.get("generation") == 41
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "open", None, raising=False)  # no file read: remembered
        assert cache.get("generation") == 41
    other_process(tmp_path).incr("generation")
    other_process(tmp_path).incr("generation")
    assert cache.get("generation") == 43
    other_process(tmp_path).delete("generation")
    assert cache.get("generation", "gone") == "gone"
    other_process(tmp_path).set("generation", 7, None)
    assert cache.get("generation") == 7


def test_a_file_written_just_now_is_read_each_time(cache):
    """Two writes within one tick of the kernel's clock, the second on the inode the first
    freed, would leave a file that looks unchanged: a new file is not remembered yet."""
    cache.set("generation", 1, None)
    assert cache.get("generation") == 1
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "open", None, raising=False)
        with pytest.raises(TypeError):  # it went to the file
            cache.get("generation")


def test_a_remembered_value_still_expires(cache, monkeypatch):
    cache.set("marker", 1, 10)
    settled = time.time() - files.SETTLED_SECONDS - 1
    os.utime(cache._key_to_file("marker"), (settled, settled))
    assert cache.get("marker") == 1  # remembered
    later = time.time() + 11
    monkeypatch.setattr(files.time, "time", lambda: later)
    assert cache.get("marker") is None


def test_values_a_caller_could_change_are_read_afresh(cache):
    cache.set("list", [1, 2], None)
    first = cache.get("list")
    first.append(3)
    assert cache.get("list") == [1, 2]


def test_the_caches_own_version_is_part_of_a_name(cache):
    """The page cache sets the cache's version for each request (the content generation)."""
    cache.version = "1.20261201"
    cache.set("page", "first")
    cache.version = "2.20261201"
    assert cache.get("page") is None
    cache.set("page", "second")
    cache.version = "1.20261201"
    assert cache.get("page") == "first"


@pytest.mark.django_db
def test_pages_through_the_file_cache_follow_every_edit(settings, tmp_path):
    """Pages, the generation and what pages share, all in the file cache as on a server without
    Redis; each Client is a new process (its own memory of recent pages)."""
    from django.test import Client

    from ketamine_info.clinics.models import Placement
    from tests.factories import ContactBlockFactory

    settings.CACHES = {
        alias: {
            "BACKEND": "ketamine_info.caching.files.FileCache",
            "LOCATION": str(tmp_path / alias),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
        for alias in ("default", "pages")
    }
    block = ContactBlockFactory(placement=Placement.FOOTER, heading="Reach us here")
    for _ in range(2):
        assert "Reach us here" in Client().get("/").content.decode()
    block.active = False
    block.save()
    assert "Reach us here" not in Client().get("/").content.decode()
    block.active, block.heading = True, "Reach us again"
    block.save()
    html = Client().get("/").content.decode()
    assert "Reach us again" in html and "Reach us here" not in html
