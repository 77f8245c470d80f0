"""Staff-only: a public page with a pending change applied, /preview/change/<id>/?path=<page>.
Previews of drafts (/preview/learn/<slug>/, /preview/faq/<slug>/) are their apps' views,
routed in ketamine_info/urls.py."""

from django.urls import path

from . import review_views

app_name = "editorial"

urlpatterns = [
    path("change/<int:pk>/", review_views.change_preview, name="change_preview"),
]
