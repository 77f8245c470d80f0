from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class CachingConfig(AppConfig):
    """Whole public pages in Django's cache (page_cache.py). It imports no other app of the
    site: the models whose changes make cached pages stale are found at start-up."""

    name = "ketamine_info.caching"
    verbose_name = "Page cache"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from .page_cache import content_changed, content_models, staff_logged_in, staff_logged_out

        # Any change to what public pages show makes every cached page unreachable: one
        # receiver, for every model content_models() finds.
        for model in content_models():
            label = model._meta.label
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pages-save-{label}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"pages-delete-{label}")
            if not model.__module__.startswith("ketamine_info."):
                continue  # the user model: its groups and permissions show on no page
            for field in model._meta.many_to_many:
                through = field.remote_field.through
                m2m_changed.connect(
                    content_changed, sender=through, dispatch_uid=f"pages-m2m-{through._meta.label}"
                )
        # Which session keys may be staff's: forged ones then cost no query (page_cache.py).
        user_logged_in.connect(staff_logged_in, dispatch_uid="pages-staff-in")
        user_logged_out.connect(staff_logged_out, dispatch_uid="pages-staff-out")
        # migrate runs on every deployment, whose templates may have changed (and flush too).
        # The signal comes once per app with models; a bump is cheap.
        post_migrate.connect(bump_after_migrate, dispatch_uid="pages-migrate")


def bump_after_migrate(**kwargs):
    from .page_cache import bump_generation

    bump_generation()
