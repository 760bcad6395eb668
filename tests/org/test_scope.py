from org.models import Unit, UnitKind
from org.scope import scope_unit_ids
from posts.models import Post, School
from tests.factories import SchoolFactory


def test_a_dispatcher_sees_his_station_and_the_units_below_it(cast):
    team = Unit.objects.create(name="仁里派出所社区中队", kind=UnitKind.TEAM, parent=cast.station_a)
    SchoolFactory(station=team, name="中队辖区幼儿园")
    ids = scope_unit_ids(cast.alice)
    assert ids == {cast.station_a.pk, team.pk}
    names = set(School.objects.visible_to(cast.alice).values_list("name", flat=True))
    assert names == {"圣莲岛小学", "中队辖区幼儿园"}


def test_a_dispatcher_does_not_see_another_station(cast):
    assert list(Post.objects.visible_to(cast.bob)) == [cast.post_b]


def test_hq_sees_its_whole_bureau_from_an_office_below_it(cast):
    assert set(Post.objects.visible_to(cast.henry)) == {cast.post_a, cast.post_b}


def test_a_supervisor_checks_every_station(cast):
    assert set(School.objects.visible_to(cast.sam)) == {cast.school_a, cast.school_b}


def test_a_superuser_sees_everything(cast):
    cast.ada.is_superuser = True
    assert scope_unit_ids(cast.ada) is None


def test_a_user_without_a_unit_sees_nothing(cast):
    from org.models import User

    loner = User.objects.create(username="loner", role="dispatcher")
    assert not School.objects.visible_to(loner).exists()


def test_another_bureau_is_invisible_to_hq(cast):
    other = Unit.objects.create(name="安居分局", kind=UnitKind.BUREAU)
    station = Unit.objects.create(name="安居派出所", kind=UnitKind.STATION, parent=other)
    SchoolFactory(station=station, name="安居小学")
    assert "安居小学" not in set(School.objects.visible_to(cast.henry).values_list("name", flat=True))


def test_roles_are_groups_with_permissions(cast):
    assert list(cast.alice.groups.values_list("name", flat=True)) == ["dispatcher"]
    assert cast.alice.has_perm("posts.add_post")
    assert not cast.oscar.has_perm("posts.add_post")
    assert cast.oscar.has_perm("posts.view_post")
    assert not cast.henry.has_perm("posts.change_post")
    assert cast.ada.has_perm("org.add_user")


def test_the_navigation_follows_the_role(cast, client):
    client.force_login(cast.oscar)
    html = client.get("/", follow=True).content.decode()  # an officer lands on his check-in page
    assert 'href="/attendance/check-in/"' in html
    assert "/posts/schools/" not in html  # he may read schools, but his menu is his own duty
    assert "/org/people/" not in html
    client.force_login(cast.alice)
    assert "/org/people/" in client.get("/").content.decode()


def test_history_records_who_changed_what_and_shows_it(cast, client):
    client.force_login(cast.alice)
    response = client.post(f"/posts/posts/{cast.post_a.pk}/edit/", {
        "school": cast.school_a.pk, "name": "正门护学岗", "station": cast.station_a.pk, "radius_m": 200,
        "lead_minutes": 15, "active": "on", "need_police": 1, "need_auxiliary": 1, "need_school_security": 1,
        "need_guard": 2, "need_staff": 2, "need_volunteer": 4,
    })
    assert response.status_code == 302
    record = cast.post_a.history.first()
    assert record.history_user == cast.alice
    assert record.history_type == "~"
    page = client.get(f"/posts/posts/{cast.post_a.pk}/").content.decode()
    assert 'id="history"' in page
    assert "200" in page and "150" in page
