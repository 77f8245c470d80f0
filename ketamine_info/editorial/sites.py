"""The admin site staff use: Django's, plus the review dashboard and the Markdown preview."""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import path
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from .outage import DATABASE_REFUSED, database_unavailable


class StaffAdminSite(admin.AdminSite):
    site_header = "Ketamine information: staff"
    site_title = "Ketamine information admin"
    index_template = "editorial/admin_index.html"
    login_template = "editorial/login.html"

    @property
    def login_form(self):
        from .two_factor import StaffLoginForm

        return StaffLoginForm

    def has_permission(self, request):
        from .two_factor import passes_second_factor

        # Staff, and past the second step of login where theirs needs one.
        return super().has_permission(request) and passes_second_factor(request)

    def login(self, request, extra_context=None):
        from .two_factor import has_device

        user = request.user
        if (
            request.method == "GET"
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not self.has_permission(request)
            and not has_device(user)
        ):
            return redirect("admin:otp_setup")  # password given; the second step to set up
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if request.method == "POST" and getattr(form, "needs_code", None) is not None:
            from .code_step import begin

            # The password was right; the code is asked for on its own screen.
            response = begin(request, form.needs_code)
            add_never_cache_headers(response)
        return response

    def index(self, request, extra_context=None):
        from .admin_home import home_context

        return super().index(request, {**home_context(request), **(extra_context or {})})

    def login_code_view(self, request):
        from .code_step import code_screen

        return code_screen(request, self)

    def otp_setup_view(self, request):
        from .two_factor import setup

        return setup(request, self)

    def admin_view(self, view, cacheable=False):
        return self.database_guard(super().admin_view(view, cacheable))

    @staticmethod
    def database_guard(inner):
        @wraps(inner)
        def answer_without_database(request, *args, **kwargs):
            try:
                response = inner(request, *args, **kwargs)
                if hasattr(response, "render") and not response.is_rendered:
                    response.render()  # here, so that a query the template runs is caught too
            except DATABASE_REFUSED:
                return database_unavailable(request).render()
            return response

        return answer_without_database

    def get_urls(self):
        from . import audit, notification_settings, review_views, views

        return [
            path(
                "review/publish/",
                self.admin_view(review_views.publish_page),
                {"site": self},
                name="review_publish",
            ),
            path(
                "audit/",
                self.admin_view(audit.audit_list),
                {"site": self},
                name="audit",
            ),
            path(
                "notifications/",
                self.admin_view(notification_settings.notification_settings),
                {"site": self},
                name="notification_settings",
            ),
            path(
                "review-dashboard/",
                self.admin_view(views.review_dashboard),
                {"site": self},
                name="review_dashboard",
            ),
            path("markup-preview/", self.admin_view(views.markup_preview), name="markup_preview"),
            # Not admin_view: reached after the password, before the second step.
            path(
                "login/code/",
                self.database_guard(
                    never_cache(
                        csrf_protect(sensitive_post_parameters("otp_token")(self.login_code_view))
                    )
                ),
                name="login_code",
            ),
            path(
                "otp/setup/",
                self.database_guard(never_cache(csrf_protect(self.otp_setup_view))),
                name="otp_setup",
            ),
            *super().get_urls(),
        ]


class StaffAdminConfig(AdminConfig):
    default_site = "ketamine_info.editorial.sites.StaffAdminSite"
