from django.urls import path

from keypersons import views

app_name = "keypersons"

urlpatterns = [
    path("", views.KeyPersonListView.as_view(), name="keyperson_list"),
    path("add/", views.KeyPersonEditView.as_view(), name="keyperson_add"),
    path("<int:pk>/", views.KeyPersonDetailView.as_view(), name="keyperson_detail"),
    path("<int:pk>/edit/", views.KeyPersonEditView.as_view(), name="keyperson_edit"),
    path("<int:pk>/reveal/", views.KeyPersonRevealView.as_view(), name="keyperson_reveal"),
    path("<int:pk>/archive/", views.KeyPersonArchiveView.as_view(), name="keyperson_archive"),
    path("<int:pk>/follow-ups/", views.FollowUpAddView.as_view(), name="followup_add"),
    path("<int:pk>/schools/", views.SchoolsConfirmView.as_view(), name="keyperson_schools"),
    path("<int:pk>/access/", views.AccessHistoryView.as_view(), name="access_history"),
    path("access/", views.AccessOverviewView.as_view(), name="access_overview"),
    # The register's own door for the second factor (keypersons/access.py).
    path("verify/", views.RegisterVerifyView.as_view(), name="verify"),
    path("verify/enrol/", views.RegisterEnrolView.as_view(), name="verify_enrol"),
]
