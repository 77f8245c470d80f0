"""The file cache of a single server counts its entries once every COUNT_EVERY writes instead of
before each one (ketamine_info/caching/files.py), and still stays within its size."""

import itertools

import pytest

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
