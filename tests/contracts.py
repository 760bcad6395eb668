"""Generic permission and performance contracts, applied to every endpoint and page.

A test class for a resource subclasses `APIContract` and/or `PageContract` and declares who
may read and write it and how to make one; the base classes then check, for the API and the
pages alike (NetBox's utilities/testing does the same):

- anonymous: 401 from the API, a redirect to the login page from a page;
- a role without the permission: 403, and the row is unchanged;
- a user of another station: 404 for that station's object, and the row is unchanged;
- the allowed role: 200/201/204 through list, detail, create, update and delete;
- a list's query count does not grow with its rows (and stays under a ceiling).

A resource that offers only some writes names them in `writable_actions`: the others are
refused to every role and leave the row unchanged (the API answers 405 to a role holding the
method's permission, 403 otherwise; the pages have no route for them). Actions on one object
beyond these (`detail_actions`, POSTed, e.g. an assignment's `move`) are refused like an
update; what they do is the resource's own test.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from tests.fixtures import Cast

ROLES = ("dispatcher", "officer", "supervisor", "hq", "admin", "security", "auditor")
# The roles that do the work; the three administrators read no business data.
BUSINESS_ROLES = ("dispatcher", "officer", "supervisor", "hq")
WRITES = ("create", "update", "delete")
PERMISSION_VERBS = {"create": "add", "update": "change", "delete": "delete"}
PAGES = {"create": "add", "update": "edit", "delete": "delete"}


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
    may_read: set[str] = set(BUSINESS_ROLES)
    may_write: set[str] = {"dispatcher"}
    writable_actions: set[str] = set(WRITES)
    detail_actions: tuple[str, ...] = ()
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

    def offers(self, action: str) -> bool:
        """Whether the resource offers this write ("create", "update" or "delete") at all."""
        return action in self.writable_actions

    def action_data(self, cast: Cast, action: str, obj) -> dict:
        """The body of a POST to one of `detail_actions` on `obj`."""
        return {}

    def permission(self, action: str) -> str:
        opts = self.model._meta
        return f"{opts.app_label}.{PERMISSION_VERBS[action]}_{opts.model_name}"


class APIContract(ResourceContract):
    url = ""  # e.g. "/api/v1/schools/"

    def create_payload(self, cast: Cast) -> dict:
        raise NotImplementedError

    def update_payload(self, cast: Cast, obj) -> dict:
        raise NotImplementedError

    def detail_url(self, obj, action: str = "") -> str:
        return f"{self.url}{obj.pk}/" + (f"{action}/" if action else "")

    def write(self, client, cast: Cast, action: str, obj):
        """Create, update or delete through the API; a refused method is sent an empty body."""
        if action == "create":
            return client.post(self.url, self.create_payload(cast) if self.offers(action) else {}, format="json")
        if action == "update":
            payload = self.update_payload(cast, obj) if self.offers(action) else {}
            return client.patch(self.detail_url(obj), payload, format="json")
        return client.delete(self.detail_url(obj))

    def post_action(self, client, cast: Cast, action: str, obj):
        return client.post(self.detail_url(obj, action), self.action_data(cast, action, obj), format="json")

    def refused_status(self, user, action: str) -> int:
        """403 without the permission; for a write the resource does not offer, 405 to a user
        who holds it (DRF checks the permission before the method)."""
        if not self.offers(action) and user.has_perm(self.permission(action)):
            return 405
        return 403

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
        for action in WRITES:
            assert self.write(client, cast, action, obj).status_code == 401, action
        for action in self.detail_actions:
            assert self.post_action(client, cast, action, obj).status_code == 401, action
        assert snapshot(obj) == before
        response = client.get(self.url)
        assert "detail" in response.json()

    def test_it_answers_403_to_roles_without_the_permission(self, cast):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        for role in ROLES:
            user = cast.user(role)
            client = self.client_for(user)
            if role not in self.may_read:
                assert client.get(self.url).status_code == 403, role
                assert client.get(self.detail_url(obj)).status_code == 403, role
            for action in WRITES:
                if self.offers(action) and role in self.may_write:
                    continue
                response = self.write(client, cast, action, obj)
                assert response.status_code == self.refused_status(user, action), (role, action, response.content)
            if role not in self.may_write:
                for action in self.detail_actions:
                    response = self.post_action(client, cast, action, obj)
                    assert response.status_code == 403, (role, action, response.content)
        assert snapshot(obj) == before

    def test_it_answers_404_for_another_stations_object(self, cast):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        outsider = self.outsider(cast)
        client = self.client_for(outsider)
        assert client.get(self.detail_url(obj)).status_code == 404
        assert obj.pk not in [row["id"] for row in client.get(self.url, {"page_size": 500}).json()["results"]]
        for action in ("update", "delete"):
            response = self.write(client, cast, action, obj)
            expected = self.outsider_write_statuses
            if not self.offers(action):  # refused whatever the object: nothing to hide
                expected = (self.refused_status(outsider, action),)
            assert response.status_code in expected, (action, response.content)
        for action in self.detail_actions:
            response = self.post_action(client, cast, action, obj)
            assert response.status_code in self.outsider_write_statuses, (action, response.content)
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
        if not self.writable_actions:
            pytest.skip("read-only: every role's writes are refused (the 403 test)")
        client = self.client_for(self.writer(cast))
        if self.offers("create"):
            response = client.post(self.url, self.create_payload(cast), format="json")
            assert response.status_code == 201, response.content
            created = self.model.objects.get(pk=response.json()["id"])
        else:
            created = self.make_object(cast, cast.station_a)
        if self.offers("update"):
            response = client.patch(self.detail_url(created), self.update_payload(cast, created), format="json")
            assert response.status_code == 200, response.content
        if self.offers("delete"):
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
        urls = [self.url("list"), self.url("detail", obj)]
        urls += [self.url("add")] if self.offers("create") else []
        urls += [self.url("edit", obj)] if self.offers("update") else []
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("login")), url
        for action in self.detail_actions:
            response = client.post(self.url(action, obj), self.action_data(cast, action, obj))
            assert response.status_code == 302, action
            assert response["Location"].startswith(reverse("login")), action

    def test_pages_answer_403_to_roles_without_the_permission(self, cast, client):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        for action in set(WRITES) - self.writable_actions:  # not offered: no page to refuse it
            with pytest.raises(NoReverseMatch):
                self.url(PAGES[action], None if action == "create" else obj)
        for role in ROLES:
            client.force_login(cast.user(role))
            if role not in self.may_read:
                assert client.get(self.url("list")).status_code == 403, role
                assert client.get(self.url("detail", obj)).status_code == 403, role
            if role not in self.may_write:
                if self.offers("create"):
                    assert client.get(self.url("add")).status_code == 403, role
                    assert client.post(self.url("add"), self.form_data(cast)).status_code == 403, role
                if self.offers("update"):
                    assert client.post(self.url("edit", obj), self.form_data(cast)).status_code == 403, role
                if self.offers("delete"):
                    assert client.post(self.url("delete", obj)).status_code == 403, role
                for action in self.detail_actions:
                    response = client.post(self.url(action, obj), self.action_data(cast, action, obj))
                    assert response.status_code == 403, (role, action)
        assert snapshot(obj) == before

    def test_pages_answer_404_for_another_stations_object(self, cast, client):
        obj = self.make_object(cast, cast.station_a)
        before = snapshot(obj)
        client.force_login(self.outsider(cast))
        assert client.get(self.url("detail", obj)).status_code == 404
        for url in [self.url(PAGES[action], obj) for action in ("update", "delete") if self.offers(action)]:
            assert client.get(url).status_code in self.outsider_write_statuses, url
            assert client.post(url, self.form_data(cast)).status_code in self.outsider_write_statuses, url
        for action in self.detail_actions:
            response = client.post(self.url(action, obj), self.action_data(cast, action, obj))
            assert response.status_code in self.outsider_write_statuses, action
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
        if not self.writable_actions:
            pytest.skip("read-only: there are no pages to write through")
        client.force_login(self.writer(cast))
        if self.offers("create"):
            before = set(self.model.objects.values_list("pk", flat=True))
            response = client.post(self.url("add"), self.form_data(cast))
            assert response.status_code == 302, response.context["form"].errors if response.context else response
            (new_pk,) = set(self.model.objects.values_list("pk", flat=True)) - before
            created = self.model.objects.get(pk=new_pk)
        else:
            created = self.make_object(cast, cast.station_a)
        if self.offers("update"):
            assert client.get(self.url("edit", created)).status_code == 200
            response = client.post(self.url("edit", created), self.form_data(cast))
            assert response.status_code == 302, response.context["form"].errors if response.context else response
        if self.offers("delete"):
            response = client.post(self.url("delete", created))
            assert response.status_code == 302
            assert not self.model.objects.filter(pk=created.pk).exists()

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
