"""The error pages a user can meet: each is Chinese, in the site's layout, fits a phone and
offers a way back (the previous page when it is ours, and the home page). The 500 page renders
with DEBUG off without the database. /favicon.ico answers."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from huxue.errors import server_error, too_many_requests


def assert_chinese_page_with_a_way_home(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-Hans">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert heading in html, html[:2000]
    assert f'href="{reverse("home")}" id="error-home"' in html
    for english in ("Not Found", "Forbidden", "Server Error", "CSRF verification failed"):
        assert english not in html
    return html


def test_a_missing_page_is_chinese_in_the_layout_with_a_way_back(cast, client):
    client.force_login(cast.alice)
    came_from = "http://testserver" + reverse("posts:school_list")
    response = client.get("/no-such-page/", headers={"referer": came_from})
    html = assert_chinese_page_with_a_way_home(response, 404, "页面不存在")
    assert 'id="nav"' in html and "艾丽" in html  # the site's own navigation bar, signed in
    assert f'href="{came_from}" id="error-back"' in html
    assert "返回上一页" in html and "返回首页" in html


def test_the_way_back_never_leads_off_the_site(cast, client):
    client.force_login(cast.alice)
    html = client.get("/no-such-page/", headers={"referer": "https://evil.example/phish"}).content.decode()
    assert "evil.example" not in html and 'id="error-back"' not in html


def test_another_stations_object_is_a_chinese_404(cast, client):
    client.force_login(cast.bob)
    response = client.get(reverse("posts:post_detail", args=[cast.post_a.pk]))
    assert_chinese_page_with_a_way_home(response, 404, "页面不存在")


def test_a_page_the_role_may_not_open_is_a_chinese_403(cast, client):
    client.force_login(cast.henry)
    response = client.get(reverse("posts:term_add"))
    assert_chinese_page_with_a_way_home(response, 403, "无权访问")


def test_a_form_with_an_expired_token_gets_a_chinese_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.alice)
    response = client.post(reverse("posts:school_add"), {"name": "x"})
    html = assert_chinese_page_with_a_way_home(response, 403, "表单已失效")
    assert "刷新页面" in html


def test_the_too_many_requests_page_is_chinese(cast):
    request = RequestFactory().get("/login/")
    request.user = cast.alice
    response = too_many_requests(request)
    assert_chinese_page_with_a_way_home(response, 429, "请求过于频繁")


@override_settings(ROOT_URLCONF="tests.huxue.error_urls", DEBUG=False)
def test_a_server_error_gets_the_chinese_500_page(cast, client):
    client.force_login(cast.alice)
    client.raise_request_exception = False
    response = client.get("/fail/")
    html = assert_chinese_page_with_a_way_home(response, 500, "服务器出错了")
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in html


def test_the_500_page_needs_neither_the_database_nor_the_request(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
        also = server_error(None)
    assert response.status_code == also.status_code == 500
    assert "服务器出错了" in response.content.decode() and 'id="error-home"' in also.content.decode()


@pytest.mark.parametrize("path", ["/login/", "/favicon.ico"])
def test_the_icon_is_served_and_linked(client, db, path):
    response = client.get(path)
    if path == "/favicon.ico":
        assert response.status_code == 302 and response["Location"].endswith("img/favicon.ico")
    else:
        html = response.content.decode()
        assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert finders.find("img/favicon.ico") and finders.find("img/favicon.svg")
