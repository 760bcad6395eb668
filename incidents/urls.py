from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.IncidentListView.as_view(), name="incident_list"),
    path("add/", views.IncidentFormView.as_view(), name="incident_add"),
    path("report/", views.IncidentFormView.as_view(template_name="incidents/incident_form.html"),
         name="incident_report"),
    path("<int:pk>/", views.IncidentDetailView.as_view(), name="incident_detail"),
    path("<int:pk>/edit/", views.IncidentFormView.as_view(), name="incident_edit"),
    path("<int:pk>/step/", views.IncidentStepView.as_view(), name="incident_step"),
    path("photos/<int:pk>/", views.IncidentPhotoView.as_view(), name="incident_photo"),
    path("schools/<int:pk>/", views.SchoolIncidentsView.as_view(), name="school_incidents"),
]
