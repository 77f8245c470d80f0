from django.urls import path

from . import views

app_name = "citations"

urlpatterns = [
    path("", views.SourceListView.as_view(), name="list"),
    path("<slug:key>/", views.SourceDetailView.as_view(), name="source"),
]
