"""Password reset by email, under the admin's path (Django's views, the admin's templates)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import path, reverse_lazy


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the emailed link on SITE_URL: by default it takes the host and scheme of
    the request, which whoever asks for the reset chooses (a forged Host header would mail the
    staff member a link to the forger's site)."""

    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={
                "site_name": settings.SITE_NAME,
                **(self.extra_email_context or {}),
            },
        )
        return HttpResponseRedirect(self.get_success_url())


urlpatterns = [
    path(
        "password-reset/",
        PasswordResetView.as_view(),
        name="admin_password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
