"""Every app's lists, walked: a row in the trail for each action the issue lists, or this
fails for the list that wrote none.

- every list page of every installed app (its URLconf's ObjectListView pages) and every page
  in the menu: a reader opens it; its Excel export (`?export=xlsx`) writes an "export" row
  naming the list's model, the reader and the rows; a role without the permission gets 403
  and a "refused" row;
- every API list (the registry's api_routes): a reader gets 200, a role without the
  permission 403 and a "refused" row naming the address;
- every client gives its second factor, as the key-person register asks of everyone;
- the actions no walk reaches: the bulletin's print, PDF and Word, and another station's
  object (404) on a page and on the API.
"""

import datetime
import io

import pytest
from openpyxl import load_workbook
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from audit.models import AuditAction, AuditEvent
from core import registry
from core.excel import XLSX_CONTENT_TYPE
from core.views import ObjectListView
from supervision.services import bulletin_create
from tests.contracts import ROLES
from tests.factories import PostFactory, SchoolFactory
from tests.fixtures import give_second_factor

pytestmark = pytest.mark.django_db


def app_list_pages() -> list[tuple[str, type]]:
    """(url name, view class) of every argument-free list page in the installed apps' URLconfs."""
    apps_urls = {entry.urls for entry in registry.entries() if entry.urls}
    found = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                inner = pattern.namespace or namespace
                if namespace is None and module not in apps_urls:
                    continue
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and namespace:
                view = getattr(pattern.callback, "view_class", None)
                if view is not None and issubclass(view, ObjectListView) and not pattern.pattern.converters:
                    found.append((f"{namespace}:{pattern.name}", view))

    walk(get_resolver().url_patterns, None)
    return sorted(found, key=lambda item: item[0])


LIST_PAGES = app_list_pages()


def required(view_class) -> list[str]:
    view = view_class()
    view.kwargs = {}
    return list(view.get_permission_required())


def reader_and_refused(cast, perms) -> tuple:
    """The first role holding every permission, and the first holding none of them."""
    reader = next((cast.user(role) for role in ROLES if cast.user(role).has_perms(perms)), None)
    refused = next((cast.user(role) for role in ROLES if not cast.user(role).has_perms(perms)), None)
    assert reader is not None, f"no role may read {perms}"
    return reader, refused


def workbook_rows(response) -> int:
    return load_workbook(io.BytesIO(response.content), read_only=True).active.max_row - 1


def last(action, user):
    return AuditEvent.objects.filter(action=action, user=user).order_by("-seq").first()


def test_the_walk_finds_the_list_pages_of_every_app_with_pages():
    apps = {name.split(":")[0] for name, _view in LIST_PAGES}
    assert {"org", "posts", "duty", "supervision", "audit"} <= apps, apps


@pytest.mark.parametrize(("name", "view"), LIST_PAGES, ids=[name for name, _view in LIST_PAGES])
def test_every_list_page_export_and_refusal_writes_a_row(cast, client, name, view):
    reader, refused = reader_and_refused(cast, required(view))
    url = reverse(name)
    give_second_factor(client, reader)
    assert client.get(url).status_code == 200
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = client.get(url, {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith(XLSX_CONTENT_TYPE)
    event = last(AuditAction.EXPORT, reader)
    assert event is not None and event.seq > seq, f"{name}: the export wrote no row"
    assert event.detail["model"] == view.model._meta.label_lower
    assert event.detail["rows"] == workbook_rows(response)
    if refused is not None:
        give_second_factor(client, refused)
        assert client.get(url).status_code == 403
        assert client.get(url, {"export": "xlsx"}).status_code == 403
        event = last(AuditAction.REFUSED, refused)
        assert event is not None and event.detail["path"] == url, f"{name}: the refusal wrote no row"


MENU = [item for item in registry.menu_items() if item.permission and not item.personal]


@pytest.mark.parametrize("item", MENU, ids=[item.url_name for item in MENU])
def test_every_menu_page_opens_for_its_reader_and_audits_its_export(cast, client, item):
    reader, refused = reader_and_refused(cast, [item.permission])
    url = reverse(item.url_name)
    give_second_factor(client, reader)
    assert client.get(url).status_code == 200
    seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    response = client.get(url, {"export": "xlsx"})
    if response.get("Content-Type", "").startswith(XLSX_CONTENT_TYPE):
        event = last(AuditAction.EXPORT, reader)
        assert event is not None and event.seq > seq, f"{item.url_name}: the export wrote no row"
    if refused is not None:
        give_second_factor(client, refused)
        assert client.get(url).status_code == 403
        assert last(AuditAction.REFUSED, refused).detail["path"] == url


def api_lists() -> list[tuple[str, type]]:
    return [(prefix, viewset) for prefix, viewset in registry.api_routes()
            if getattr(viewset, "queryset", None) is not None]


API_LISTS = api_lists()


@pytest.mark.parametrize(("prefix", "viewset"), API_LISTS, ids=[prefix for prefix, _v in API_LISTS])
def test_every_api_list_answers_its_reader_and_records_a_refusal(cast, api, prefix, viewset):
    opts = viewset.queryset.model._meta
    reader, refused = reader_and_refused(cast, [f"{opts.app_label}.view_{opts.model_name}"])
    url = f"/api/v1/{prefix}/"
    give_second_factor(api, reader)
    assert api.get(url).status_code == 200
    assert refused is not None, f"every role reads {url}"
    give_second_factor(api, refused)
    assert api.get(url).status_code == 403
    event = last(AuditAction.REFUSED, refused)
    assert event is not None, f"{url}: the refusal wrote no row"
    assert (event.result, event.detail["path"], event.detail["status"]) == ("refused", url, 403)


def test_the_walk_covers_every_api_route_of_a_model():
    assert {prefix for prefix, _v in API_LISTS} >= {"units", "people", "schools", "posts", "shifts",
                                                     "assignments", "leaves", "spot-checks", "bulletins"}


def test_a_refused_write_on_the_api_is_recorded(cast, api):
    give_second_factor(api, cast.henry)  # HQ reads schools and writes nothing
    response = api.post("/api/v1/schools/", {"name": "新学校"}, format="json")
    assert response.status_code == 403
    event = last(AuditAction.REFUSED, cast.henry)
    assert (event.detail["method"], event.detail["path"], event.detail["status"]) == ("POST", "/api/v1/schools/", 403)


def test_another_stations_school_and_post_are_404_and_recorded_on_the_pages_and_the_api(cast, client, api):
    theirs = [SchoolFactory(station=cast.station_b), PostFactory(school=cast.school_b)]
    give_second_factor(client, cast.alice)
    give_second_factor(api, cast.alice)
    for obj, page, address in ((theirs[0], "posts:school_detail", "/api/v1/schools/{}/"),
                               (theirs[1], "posts:post_detail", "/api/v1/posts/{}/")):
        for agent, path in ((client, reverse(page, args=[obj.pk])), (api, address.format(obj.pk))):
            assert agent.get(path).status_code == 404, path
            event = last(AuditAction.REFUSED, cast.alice)
            assert (event.object_type, event.object_id, event.detail["status"], event.detail["path"]) == (
                obj._meta.label_lower, str(obj.pk), 404, path)


def test_the_bulletins_print_pdf_and_word_are_recorded(cast, client):
    day = datetime.date(2026, 9, 7)
    bulletin = bulletin_create(unit=cast.bureau, title="九月督察通报", period_start=day, period_end=day, user=cast.sam)
    give_second_factor(client, cast.sam)
    assert client.get(reverse("supervision:bulletin_print", args=[bulletin.pk])).status_code == 200
    event = last(AuditAction.PRINT, cast.sam)
    assert (event.object_type, event.object_id, event.detail) == ("supervision.bulletin", str(bulletin.pk),
                                                                  {"format": "html"})
    assert client.get(reverse("supervision:bulletin_docx", args=[bulletin.pk])).status_code == 200
    event = last(AuditAction.EXPORT, cast.sam)
    assert (event.object_id, event.detail) == (str(bulletin.pk), {"format": "docx"})
    before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    response = client.get(reverse("supervision:bulletin_pdf", args=[bulletin.pk]))
    if response.status_code == 503:  # no PDF engine here: nothing was handed out, nothing recorded
        assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == before
    else:
        assert response.status_code == 200
        event = last(AuditAction.EXPORT, cast.sam)
        assert (event.object_id, event.detail) == (str(bulletin.pk), {"format": "pdf"})
