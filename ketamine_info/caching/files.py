"""Django's file cache, counting its entries less often: the cache of a single server.

Before every write, Django's ``FileBasedCache`` lists its whole folder to see whether it holds
more than ``MAX_ENTRIES`` entries. The folder fills up with pages of past generations and with
search pages (each query string is a page), and the count then costs more than the write: on
this machine 0.3 ms of CPU a write among a few dozen entries, 1.9 ms among 1,000 and 11 ms among
5,000 (issue 17). Every page built and stored pays it.

Here each process counts the folder on its first write and then once every ``COUNT_EVERY``
writes. Between two counts a process adds at most ``COUNT_EVERY`` entries, so the folder holds
at most ``MAX_ENTRIES`` plus that many per process before a count culls it as Django's does (a
third of the entries, at random), as long as ``MAX_ENTRIES`` is over three times
``COUNT_EVERY``: settings.py has 2,000 and 5,000.
"""

from __future__ import annotations

import itertools

from django.core.cache.backends.filebased import FileBasedCache

COUNT_EVERY = 50


class FileCache(FileBasedCache):
    # Writes of this process to any folder: one counter is enough to spread the counts out.
    _writes = itertools.count()

    def _cull(self):
        if next(self._writes) % COUNT_EVERY == 0:
            super()._cull()
