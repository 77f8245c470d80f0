"""The admin site staff use: Django's, plus the review dashboard and the Markdown preview."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import path


class StaffAdminSite(admin.AdminSite):
    site_header = "Ketamine information: staff"
    site_title = "Ketamine information admin"
    index_template = "editorial/admin_index.html"

    def get_urls(self):
        from . import review_views, views

        return [
            path(
                "review/publish/",
                self.admin_view(review_views.publish_page),
                {"site": self},
                name="review_publish",
            ),
            path(
                "audit/",
                self.admin_view(review_views.audit_list),
                {"site": self},
                name="audit",
            ),
            path(
                "review-dashboard/",
                self.admin_view(views.review_dashboard),
                {"site": self},
                name="review_dashboard",
            ),
            path("markup-preview/", self.admin_view(views.markup_preview), name="markup_preview"),
            *super().get_urls(),
        ]


class StaffAdminConfig(AdminConfig):
    default_site = "ketamine_info.editorial.sites.StaffAdminSite"
