from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_migrate


class CachingConfig(AppConfig):
    """Whole public pages in Django's cache (page_cache.py), made stale once per committed
    publish (invalidation.py). It imports no other app of the site: publishing.py announces
    what changes public pages."""

    name = "ketamine_info.caching"
    verbose_name = "Page cache"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from ketamine_info.publishing import public_content_changed

        from .guard import guard
        from .invalidation import invalidate_on_commit, replay_if_due, replay_owed
        from .page_cache import staff_logged_in, staff_logged_out

        public_content_changed.connect(invalidate_on_commit, dispatch_uid="pages-published")
        # What the cache or a proxy missed while unreachable is paid when it comes back, and
        # checked now and then by every process (invalidation.py).
        guard.on_recover(replay_owed)
        request_started.connect(replay_if_due, dispatch_uid="pages-replay")
        # Which session keys may be staff's: forged ones then cost no query (page_cache.py).
        user_logged_in.connect(staff_logged_in, dispatch_uid="pages-staff-in")
        user_logged_out.connect(staff_logged_out, dispatch_uid="pages-staff-out")
        # migrate runs on every deployment, whose templates may have changed (and flush too):
        # once per run, when it reaches this app.
        post_migrate.connect(invalidate_after_migrate, sender=self, dispatch_uid="pages-migrate")


def invalidate_after_migrate(using=None, **kwargs) -> None:
    from .invalidation import invalidate_on_commit

    invalidate_on_commit(using=using)
