from django.urls import path

from core.views import crud_paths
from org import views
from org.models import Person, Unit

app_name = "org"

urlpatterns = [
    *crud_paths(
        "units", Unit, list_view=views.UnitListView, detail_view=views.UnitDetailView,
        edit_view=views.UnitEditView, delete_view=views.UnitDeleteView,
    ),
    *crud_paths(
        "people", Person, list_view=views.PersonListView, detail_view=views.PersonDetailView,
        edit_view=views.PersonEditView, delete_view=views.PersonDeleteView,
        import_view=views.PersonImportView,
    ),
    path("lockouts/", views.LockoutListView.as_view(), name="lockout_list"),
    path("lockouts/unlock/", views.LockoutUnlockView.as_view(), name="lockout_unlock"),
]
