"""Staff-only previews: /preview/learn/<slug>/, /preview/faq/<slug>/ and a public page with a
pending change applied, /preview/change/<id>/?path=<page>."""

from django.urls import path

from . import review_views, views

app_name = "editorial"

urlpatterns = [
    path("learn/<slug:slug>/", views.ArticlePreviewView.as_view(), name="article"),
    path("faq/<slug:slug>/", views.QuestionPreviewView.as_view(), name="question"),
    path("change/<int:pk>/", review_views.change_preview, name="change_preview"),
]
