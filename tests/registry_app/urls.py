from django.urls import path

from tests.registry_app import views

app_name = "registry_app"

urlpatterns = [
    path("things/", views.ThingsView.as_view(), name="things"),
    path("mine/", views.ThingsView.as_view(), name="mine"),
    path("more/", views.ThingsView.as_view(), name="more"),
]
