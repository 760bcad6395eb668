from django.urls import path

from audit import views

app_name = "audit"

# The trail is searched and read here.
urlpatterns = [
    path("events/", views.AuditEventListView.as_view(), name="auditevent_list"),
    path("events/<int:pk>/", views.AuditEventDetailView.as_view(), name="auditevent_detail"),
    # The one write: a page printed in the browser reports itself (static/js/huxue.js).
    path("print/", views.PrintRecordView.as_view(), name="print"),
]
