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
    assert cache.get("generation") == 41
    if os.stat(cache._key_to_file("generation")).st_mtime_ns % 1_000_000_000:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(files, "open", None, raising=False)  # no file read: remembered
            assert cache.get("generation") == 41
    other_process(tmp_path).incr("generation")
    assert cache.get("generation") == 42
    other_process(tmp_path).delete("generation")
    assert cache.get("generation", "gone") == "gone"
    other_process(tmp_path).set("generation", 7, None)
    assert cache.get("generation") == 7


def test_a_remembered_value_still_expires(cache, monkeypatch):
    cache.set("marker", 1, 10)
    assert cache.get("marker") == 1
    later = time.time() + 11
    monkeypatch.setattr(files.time, "time", lambda: later)
    assert cache.get("marker") is None


def test_values_a_caller_could_change_are_read_afresh(cache):
    cache.set("list", [1, 2], None)
    first = cache.get("list")
    first.append(3)
    assert cache.get("list") == [1, 2]
