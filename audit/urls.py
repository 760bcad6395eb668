from django.urls import path

from audit import views

app_name = "audit"

# Read only: the trail is searched and read here, never written.
urlpatterns = [
    path("events/", views.AuditEventListView.as_view(), name="auditevent_list"),
    path("events/<int:pk>/", views.AuditEventDetailView.as_view(), name="auditevent_detail"),
]
