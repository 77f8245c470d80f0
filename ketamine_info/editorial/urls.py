"""Staff-only previews: /preview/learn/<slug>/ and /preview/faq/<slug>/."""

from django.urls import path

from . import views

app_name = "editorial"

urlpatterns = [
    path("learn/<slug:slug>/", views.ArticlePreviewView.as_view(), name="article"),
    path("faq/<slug:slug>/", views.QuestionPreviewView.as_view(), name="question"),
]
