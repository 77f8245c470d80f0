"""What every staff preview shares: only for staff who may change the content, a second factor
passed, never indexed, never cached. The previews themselves live with their apps
(``articles/previews.py``, ``faqs/previews.py``), as a subclass of the public view."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import reverse
from django.utils.cache import patch_cache_control

from .two_factor import passes_second_factor


class StaffPreviewMixin:
    """Only for staff who may change the content; never indexed, never cached."""

    model: type

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and passes_second_factor(request)
        ):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        opts = self.model._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise Http404
        response = super().dispatch(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        patch_cache_control(response, private=True, no_store=True)
        return response

    def preview_of(self, obj) -> dict:
        opts = obj._meta
        return {
            "object": obj,
            "status": obj.get_status_display(),
            "is_public": obj.is_public,
            "edit_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]),
        }

    def get_meta(self):
        meta = super().get_meta()
        meta.noindex = True
        return meta


def preview_url_of(obj) -> str:
    """Where staff see ``obj`` as patients would: its preview when its model has one (a draft
    has no public address), its public page otherwise."""
    get_preview_url = getattr(obj, "get_preview_url", None)
    return get_preview_url() if get_preview_url else obj.get_absolute_url()
