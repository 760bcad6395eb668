"""The spot-check form's post picker: a district's hundred posts grouped by station, each named
as everywhere ("school·post"), in the one query the flat list took however many posts there
are; the filter box comes from a static script (no inline script)."""

import re

import pytest
from django.urls import reverse

from tests.contracts import count_queries
from tests.factories import PostFactory, SchoolFactory


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _select(html: str) -> str:
    return re.search(r'<select name="post".*?</select>', html, re.S).group(0)


def test_it_groups_the_posts_by_station_and_names_each_by_school_and_post(cast, client):
    PostFactory(school=cast.school_a, name="侧门护学岗")
    PostFactory(school=SchoolFactory(name="凯旋路中学", station=cast.station_b), name="北门护学岗")
    client.force_login(cast.sam)
    html = client.get(reverse("supervision:spotcheck_add")).content.decode()
    select = _select(html)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["仁里派出所", "凯旋路派出所"]
    named = {label: re.findall(r"<option [^>]*>([^<]+)</option>", options) for label, options in groups}
    assert named == {
        "仁里派出所": ["圣莲岛小学·侧门护学岗", "圣莲岛小学·正门护学岗"],
        "凯旋路派出所": ["凯旋路中学·北门护学岗", "凯旋路小学·正门护学岗"],
    }
    assert re.search(r'<option value=""[^>]*>---------</option>', select)
    assert 'id="post-filter"' in html and "js/post_picker.js" in html


def test_a_chosen_post_stays_chosen_in_its_group(cast, client):
    client.force_login(cast.sam)
    html = client.get(reverse("supervision:spotcheck_add"), {"post": cast.post_b.pk}).content.decode()
    assert re.search(rf'<option value="{cast.post_b.pk}" selected>凯旋路小学·正门护学岗</option>', _select(html))


def test_the_form_page_query_count_does_not_grow_with_the_posts(cast, client):
    client.force_login(cast.sam)
    url = reverse("supervision:spotcheck_add")
    client.get(url)  # warm the caches (permissions, content types)
    few = count_queries(lambda: client.get(url))
    for n in range(6):
        school = SchoolFactory(name=f"测试学校{n}", station=cast.station_a if n % 2 else cast.station_b)
        for gate in ("东门", "西门", "南门"):
            PostFactory(school=school, name=f"{gate}护学岗")
    many = count_queries(lambda: client.get(url))
    assert many == few
    assert _select(client.get(url).content.decode()).count("<option value=") == 1 + 2 + 18
