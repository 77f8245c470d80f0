"""Work that each of many saves in one step asks for, done once when the step ends.

Publishing a claim saves the claim and each of its citations; every one of those saves asks for
the pages citing the claim to be rendered again. Inside ``one_step()`` such work is gathered
(``after_step``) and done once, at the end, still inside the caller's transaction; outside a
step it is done at once, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_pending: ContextVar[dict[Callable, set] | None] = ContextVar("pending_work", default=None)


@contextmanager
def one_step() -> Iterator[None]:
    if _pending.get() is not None:  # already inside a step: the outer one does the work
        yield
        return
    token = _pending.set({})
    try:
        yield
        work = _pending.get()
    finally:
        _pending.reset(token)
    for task, values in work.items():
        task(values)


def after_step(task: Callable[[set], object], *values: Hashable) -> None:
    """``task(values)`` once the step ends, with the values every call gave; now outside one."""
    pending = _pending.get()
    if pending is None:
        task(set(values))
    else:
        pending.setdefault(task, set()).update(values)
