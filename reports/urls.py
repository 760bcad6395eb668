from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("figures/", views.FiguresView.as_view(), name="figures"),
]
