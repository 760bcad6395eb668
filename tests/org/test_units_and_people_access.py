import itertools

from org.models import Person, PersonKind, Unit, UnitKind
from tests.contracts import BUSINESS_ROLES, APIContract, PageContract
from tests.factories import PersonFactory

_names = itertools.count()


class UnitResource:
    model = Unit
    may_read = {*BUSINESS_ROLES, "admin"}  # the system administrator keeps the units
    may_write = {"admin"}
    outsider_write_statuses = (403, 404)

    def make_object(self, cast, station):
        return Unit.objects.create(name=f"测试中队{next(_names)}", kind=UnitKind.TEAM, parent=station)

    def writer(self, cast):
        return cast.ada


class TestUnitsAPI(UnitResource, APIContract):
    url = "/api/v1/units/"

    def create_payload(self, cast):
        return {"name": f"新建中队{next(_names)}", "kind": "team", "parent": cast.station_a.pk}

    def update_payload(self, cast, obj):
        return {"phone": "0825-2222222"}


class TestUnitPages(UnitResource, PageContract):
    def form_data(self, cast):
        return {"name": f"表单中队{next(_names)}", "kind": "team", "parent": cast.station_a.pk}


class PersonResource:
    model = Person
    may_read = {"dispatcher", "supervisor", "hq"}  # no administrator reads people

    def make_object(self, cast, station):
        return PersonFactory(unit=station)


class TestPeopleAPI(PersonResource, APIContract):
    url = "/api/v1/people/"

    def create_payload(self, cast):
        return {"name": "李四", "kind": PersonKind.POLICE, "unit": cast.station_a.pk, "badge_no": f"9{next(_names):05d}"}

    def update_payload(self, cast, obj):
        return {"phone": "13900000000"}


class TestPeoplePages(PersonResource, PageContract):
    def form_data(self, cast):
        return {
            "name": "王五", "kind": PersonKind.AUXILIARY, "unit": cast.station_a.pk,
            "badge_no": f"8{next(_names):05d}", "active": "on",
        }
