from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.send, name="send"),
    path("thanks/", views.thanks, name="thanks"),
]
