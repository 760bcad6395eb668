"""A scope that holds every unit (HQ at the top of the tree) filters "has a unit" instead of
listing every id: the same rows, and a tree with a second top makes it a list again."""

from org.models import Unit, UnitKind
from org.scope import forget_scope, scope_is_everywhere, scope_unit_ids
from posts.models import Post
from tests.factories import PostFactory, SchoolFactory


def test_hq_at_the_top_sees_every_unit_and_the_same_rows(cast):
    assert scope_is_everywhere(cast.henry)
    assert not scope_is_everywhere(cast.alice)
    every = set(Post.objects.filter(station_id__in=Unit.objects.values("pk")).values_list("pk", flat=True))
    assert set(Post.objects.visible_to(cast.henry).values_list("pk", flat=True)) == every
    assert "IN (" not in str(Post.objects.visible_to(cast.henry).query)
    assert set(Post.objects.visible_to(cast.alice).values_list("pk", flat=True)) == {cast.post_a.pk}


def test_a_second_top_unit_makes_the_scope_a_list_again(cast):
    other = Unit.objects.create(name="另一分局", kind=UnitKind.BUREAU)
    station = Unit.objects.create(name="另一派出所", kind=UnitKind.STATION, parent=other)
    PostFactory(school=SchoolFactory(station=station))
    forget_scope(cast.henry)
    assert not scope_is_everywhere(cast.henry)
    assert station.pk not in scope_unit_ids(cast.henry)
    assert set(Post.objects.visible_to(cast.henry).values_list("pk", flat=True)) == {cast.post_a.pk, cast.post_b.pk}
