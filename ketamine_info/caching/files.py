"""Django's file cache, made cheap for what every request reads and every page stored writes:
the cache of a single server (``settings.CACHES`` without ``REDIS_URL``).

**Counting less often.** Before every write, Django's ``FileBasedCache`` lists its whole folder
to see whether it holds more than ``MAX_ENTRIES`` entries. The folder fills up with pages of
past generations and with search pages (each query string is a page), and the count then costs
more than the write: on this machine 0.3 ms of CPU a write among a few dozen entries, 1.9 ms
among 1,000 and 11 ms among 5,000 (issue 17). Every page built and stored paid it. Here each
process counts the folder on its first write and then once every ``COUNT_EVERY`` writes.
Between two counts a process adds at most ``COUNT_EVERY`` entries, so the folder holds at most
``MAX_ENTRIES`` plus that many per process before a count culls it as Django's does (a third of
the entries, at random), as long as ``MAX_ENTRIES`` is over three times ``COUNT_EVERY``:
settings.py has 2,000 and 5,000.

**Small values read again only when their file changes.** Every request reads the content
generation (``page_cache.py``): opening, reading and unpickling its file cost about 20 µs, as
much as the rest of serving a stored page from memory. A number or a short string read here is
remembered with its file's identity (inode, modification time, size, from one ``stat``), and
read again as soon as that changes. Every write makes a new file, but the inode of the file it
replaces is free at once and may be given to the next write, and a modification time only moves
once per clock tick of the kernel (milliseconds; whole seconds on some file systems): two writes
within one tick can leave a file that looks unchanged. So only a file last written more than
``SETTLED_SECONDS`` ago is remembered; any later write has a later time. For that long after
each edit, the generation is read from its file on every request, as Django does. Only
immutable values are remembered: a caller may change what it gets.
"""

from __future__ import annotations

import itertools
import os
import pickle
import time
import zlib

from django.core.cache.backends.filebased import FileBasedCache

COUNT_EVERY = 50
SMALL_TYPES = (int, str, bytes, bool, float)
REMEMBERED = 1000  # small values kept at most, per process and folder
SETTLED_SECONDS = 2


class FileCache(FileBasedCache):
    # Writes of this process to any folder: one counter is enough to spread the counts out.
    _writes = itertools.count()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._small: dict[str, tuple] = {}
        self._fnames: dict[tuple, str] = {}

    def _cull(self):
        if next(self._writes) % COUNT_EVERY == 0:
            super()._cull()

    def get(self, key, default=None, version=None):
        # The key's hash, and Django's checks of the key, once. The page cache sets the cache's
        # own version for each request (page_cache.py): it is part of the name.
        named = (key, self.version if version is None else version)
        fname = self._fnames.get(named)
        if fname is None:
            fname = self._key_to_file(key, version)
            if len(self._fnames) >= REMEMBERED:
                self._fnames.clear()
            self._fnames[named] = fname
        try:
            stat = os.stat(fname)
            identity = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
            known = self._small.get(fname)
            if known is not None and known[0] == identity:
                expiry, value = known[1:]
                if expiry is None or expiry >= time.time():
                    return value
            with open(fname, "rb") as f:
                try:
                    expiry = pickle.load(f)  # noqa: S301 (the cache's own files, as Django's)
                except EOFError:
                    expiry = 0  # an empty file is expired, as Django has it
                if expiry is not None and expiry < time.time():
                    f.close()
                    self._delete(fname)
                    return default
                value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
        except FileNotFoundError:
            self._small.pop(fname, None)
            return default
        if (
            type(value) in SMALL_TYPES
            and (not isinstance(value, str | bytes) or len(value) < 256)
            and time.time_ns() - identity[1] > SETTLED_SECONDS * 1_000_000_000  # the note above
        ):
            if len(self._small) >= REMEMBERED:
                self._small.clear()
            self._small[fname] = (identity, expiry, value)
        return value
