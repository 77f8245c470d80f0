"""Every kind of content patients see, declared once, by the app that owns it.

Each app lists its kinds in ``KINDS`` in its ``content.py``: a ``ContentKind``
(``contentsync/kinds.py``) names the model, the pages it appears on, that a change to it waits
for review, its staff-only fields, how search indexes it and its file format. This module finds
them at run time, as the admin finds each app's ``admin.py``: the layers below the apps
(review, the page cache, the evidence rules) read the registry without importing upward.
Review, search, contentsync, the sitemap, the evidence rules and the audit list read it; nothing
else lists kinds, so a kind cannot be left out of one list and forgotten by another.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

CONTENT_MODULE = "content"


@cache  # the kinds are declared in code: found once, once every app is loaded
def kinds() -> tuple:
    """Every app's kinds, in load order (what is cited before what cites it)."""
    found = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, CONTENT_MODULE):
            module = import_module(f"{config.name}.{CONTENT_MODULE}")
            found.extend(kind() for kind in getattr(module, "KINDS", ()))
    return tuple(sorted(found, key=lambda kind: kind.load_order))


def kind_of(model):
    """The kind declared for ``model``, or None (not content patients see)."""
    label = model._meta.label
    for kind in kinds():
        if kind.model._meta.label == label:
            return kind
    return None


def models() -> list:
    return [kind.model for kind in kinds()]


def labels() -> list[str]:
    return [kind.model._meta.label for kind in kinds()]


def reviewed_labels() -> list[str]:
    return [kind.model._meta.label for kind in kinds() if kind.reviewed]
