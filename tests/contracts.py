"""Generic permission and performance contracts, applied to every endpoint and page.

A test class for a resource subclasses `APIContract` and/or `PageContract` and declares who
may read and write it and how to make one; the base classes then check, for the API and the
pages alike (NetBox's utilities/testing does the same):

- anonymous: 401 from the API, a redirect to the login page from a page;
- a role without the permission: 403, and the row is unchanged;
- a user of another station: 404 for that station's object, and the row is unchanged;
- the allowed role: 200/201/204 through list, detail, create, update and delete;
- a list's query count does not grow with its rows (and stays under a ceiling).
"""

from __future__ import annotations

from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tests.fixtures import Cast

ROLES = ("dispatcher", "officer", "supervisor", "hq", "admin")


def snapshot(obj) -> dict:
    """A row as it is in the database now, to show it was left unchanged."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return model_to_dict(fresh)


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


class ResourceContract:
    model = None
    may_read: set[str] = set(ROLES)
    may_write: set[str] = {"dispatcher"}
    query_ceiling = 12

    # Hooks a subclass fills in.
    def make_object(self, cast: Cast, station):
        """A new object belonging to `station`."""
        raise NotImplementedError

    def writer(self, cast: Cast):
        """A user who may write, in station A's scope."""
        return cast.alice

    def outsider(self, cast: Cast):
        """A user with the same permissions who belongs to station B."""
        return cast.bob


class APIContract(ResourceContract):
    url = ""  # e.g. "/api/v1/schools/"

    def create_payload(self, cast: Cast) -> dict:
        raise NotImplementedError

    def update_payload(self, cast: Cast, obj) -> dict:
        raise NotImplementedError

    def detail_url(self, obj) -> str:
        return f"{self.url}{obj.pk}/"

    def client_for(self, user) -> APIClient:
        # A session login, so every request loads the user afresh, as in production.
        client = APIClient()
        client.force_login(user)
        return client

    def test_it_answers_401_to_anonymous_requests(self, cast):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        client = APIClient()
        assert client.get(self.url).status_code == 401
        assert client.get(self.detail_url(obj)).status_code == 401
        assert client.post(self.url, self.create_payload(cast), format="json").status_code == 401
        assert client.patch(self.detail_url(obj), self.update_payload(cast, obj), format="json").status_code == 401
        assert client.delete(self.detail_url(obj)).status_code == 401
        assert snapshot(obj) == before
        response = client.get(self.url)
        assert "detail" in response.json()

    def test_it_answers_403_to_roles_without_the_permission(self, cast):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        for role in ROLES:
            client = self.client_for(cast.user(role))
            if role not in self.may_read:
                assert client.get(self.url).status_code == 403, role
                assert client.get(self.detail_url(obj)).status_code == 403, role
            if role not in self.may_write:
                assert client.post(self.url, self.create_payload(cast), format="json").status_code == 403, role
                response = client.patch(self.detail_url(obj), self.update_payload(cast, obj), format="json")
                assert response.status_code == 403, (role, response.content)
                assert client.delete(self.detail_url(obj)).status_code == 403, role
        assert snapshot(obj) == before

    def test_it_answers_404_for_another_stations_object(self, cast):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        client = self.client_for(self.outsider(cast))
        assert client.get(self.detail_url(obj)).status_code == 404
        assert obj.pk not in [row["id"] for row in client.get(self.url, {"page_size": 500}).json()["results"]]
        response = client.patch(self.detail_url(obj), self.update_payload(cast, obj), format="json")
        assert response.status_code in self.outsider_write_statuses, response.content
        assert client.delete(self.detail_url(obj)).status_code in self.outsider_write_statuses
        assert snapshot(obj) == before

    outsider_write_statuses = (404,)

    def test_every_reader_can_list_and_retrieve(self, cast):
        obj = self.make_object(cast, cast.station_a)
        for role in self.may_read:
            client = self.client_for(cast.user(role))
            response = client.get(self.url)
            assert response.status_code == 200, role
            assert {"count", "next", "previous", "results"} <= set(response.json())
            assert client.get(self.detail_url(obj)).status_code == 200, role

    def test_the_writer_can_create_update_and_delete(self, cast):
        client = self.client_for(self.writer(cast))
        response = client.post(self.url, self.create_payload(cast), format="json")
        assert response.status_code == 201, response.content
        created = self.model.objects.get(pk=response.json()["id"])
        response = client.patch(self.detail_url(created), self.update_payload(cast, created), format="json")
        assert response.status_code == 200, response.content
        response = client.delete(self.detail_url(created))
        assert response.status_code == 204, response.content
        assert not self.model.objects.filter(pk=created.pk).exists()

    def test_the_list_query_count_does_not_grow_with_rows(self, cast):
        client = self.client_for(self.writer(cast))
        client.get(self.url)  # warm up per-process caches (content types, permissions)
        self.make_object(cast, cast.station_a)
        few = count_queries(lambda: client.get(self.url))
        for _ in range(10):
            self.make_object(cast, cast.station_a)
        many = count_queries(lambda: client.get(self.url))
        assert few == many, (few, many)
        assert many <= self.query_ceiling, many


class PageContract(ResourceContract):
    list_params: dict = {}

    def form_data(self, cast: Cast) -> dict:
        """POST data for the create page that makes a valid object."""
        raise NotImplementedError

    def url(self, action: str, obj=None) -> str:
        opts = self.model._meta
        args = [obj.pk] if obj is not None else []
        return reverse(f"{opts.app_label}:{opts.model_name}_{action}", args=args)

    def test_pages_send_anonymous_users_to_the_login_page(self, cast, client):
        obj = self.make_object(cast, cast.station_a)
        for url in (self.url("list"), self.url("detail", obj), self.url("add"), self.url("edit", obj)):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url

    def test_pages_answer_403_to_roles_without_the_permission(self, cast, client):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        for role in ROLES:
            client.force_login(cast.user(role))
            if role not in self.may_read:
                assert client.get(self.url("list")).status_code == 403, role
                assert client.get(self.url("detail", obj)).status_code == 403, role
            if role not in self.may_write:
                assert client.get(self.url("add")).status_code == 403, role
                assert client.post(self.url("add"), self.form_data(cast)).status_code == 403, role
                assert client.post(self.url("edit", obj), self.form_data(cast)).status_code == 403, role
                assert client.post(self.url("delete", obj)).status_code == 403, role
        assert snapshot(obj) == before

    def test_pages_answer_404_for_another_stations_object(self, cast, client):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        client.force_login(self.outsider(cast))
        assert client.get(self.url("detail", obj)).status_code == 404
        for url in (self.url("edit", obj), self.url("delete", obj)):
            assert client.get(url).status_code in self.outsider_write_statuses, url
            assert client.post(url, self.form_data(cast)).status_code in self.outsider_write_statuses, url
        assert snapshot(obj) == before

    outsider_write_statuses = (404,)

    def test_readers_see_the_list_detail_and_export(self, cast, client):
        obj = self.make_object(cast, cast.station_a)
        for role in self.may_read:
            client.force_login(cast.user(role))
            response = client.get(self.url("list"), self.list_params)
            assert response.status_code == 200, role
            assert response.status_code == 200
            assert client.get(self.url("detail", obj)).status_code == 200, role
            export = client.get(self.url("list"), {"export": "xlsx"})
            assert export.status_code == 200
            assert export["Content-Type"].startswith("application/vnd.openxmlformats")

    def test_the_writer_can_create_edit_and_delete_through_the_pages(self, cast, client):
        client.force_login(self.writer(cast))
        before = set(self.model.objects.values_list("pk", flat=True))
        response = client.post(self.url("add"), self.form_data(cast))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        (new_pk,) = set(self.model.objects.values_list("pk", flat=True)) - before
        created = self.model.objects.get(pk=new_pk)
        assert client.get(self.url("edit", created)).status_code == 200
        response = client.post(self.url("edit", created), self.form_data(cast))
        assert response.status_code == 302, response.context["form"].errors if response.context else response
        response = client.post(self.url("delete", created))
        assert response.status_code == 302
        assert not self.model.objects.filter(pk=new_pk).exists()

    def test_the_list_page_query_count_does_not_grow_with_rows(self, cast, client):
        client.force_login(self.writer(cast))
        client.get(self.url("list"))
        self.make_object(cast, cast.station_a)
        few = count_queries(lambda: client.get(self.url("list")))
        for _ in range(10):
            self.make_object(cast, cast.station_a)
        many = count_queries(lambda: client.get(self.url("list")))
        assert few == many, (few, many)
        assert many <= self.query_ceiling + 6, many
