from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("<slug:slug>/", views.ComparisonView.as_view(), name="comparison"),
    path("<slug:slug>/weigh/", views.WeighView.as_view(), name="weigh"),
]
