"""API `key-persons/` (DESIGN.md): the register with its ID numbers and phones masked in every
answer but `reveal/`; `reveal/` (`{"purpose": …}`) answers the secrets for that answer only;
`follow-ups/` lists (GET) and records (POST) follow-ups; `archive/` (`{"reason": …}`);
`access-history/` answers who read the person, when and why (the keepers, the audit
administrator); `nearby-schools/` the schools near his address, to confirm by hand; `figures/`
the register's counts.

Every answer carries `Cache-Control: no-store`; every list, retrieve, reveal, create, change,
archive and follow-up writes one audit row (keypersons.services); no key person is deleted."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.cache import add_never_cache_headers
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.models import AuditAction
from core.api.permissions import HasPerms, ModelPermissions
from core.api.serializers import ScopedPrimaryKeyRelatedField, Serializer
from core.api.viewsets import ScopedGetObjectMixin
from core.masking import mask_number
from incidents.models import Incident
from keypersons.access import AUDIT_PERMISSION, SecondFactorPassed
from keypersons.filters import KeyPersonFilterSet
from keypersons.models import Category, CoManagerKind, FollowUpMethod, KeyPerson, Risk, Status
from keypersons.selectors import access_history, followup_list, keyperson_detail, keyperson_figures, schools_nearby
from keypersons.services import (
    audit_filters,
    followup_create,
    keyperson_archive,
    keyperson_create,
    keyperson_record_read,
    keyperson_reveal,
    keyperson_update,
)
from org.api import PeriodQuery
from org.models import Person, Unit
from posts.models import School


_CHOICE_FIELDS: dict[str, type] = {}


def choice(choices, name: str, **kwargs) -> serializers.ChoiceField:
    """A choice field whose schema is a component of its own name: the register's choice sets
    (risk, status) share field names or values with other apps' and would otherwise collide."""

    if name not in _CHOICE_FIELDS:
        @extend_schema_field({"type": "string", "enum": [value for value, _label in choices]}, component_name=name)
        class NamedChoiceField(serializers.ChoiceField):
            pass

        _CHOICE_FIELDS[name] = NamedChoiceField
    return _CHOICE_FIELDS[name](choices=choices, **kwargs)


class CoManagerSerializer(Serializer):
    kind = choice(CoManagerKind.choices, "KeyPersonCoManagerKind")
    name = serializers.CharField(max_length=100)
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True,
                                    help_text="How to reach them (answered masked).")


class KeyPersonSerializer(Serializer):
    """Secrets are written in plain text and answered masked (the ID number and phones) or
    not at all (address, location, basis, notes): `reveal/` answers them."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=20, help_text="Written whole; answered masked (510903********1234).")
    sex = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True)
    category = serializers.ListField(child=choice(Category.choices, "KeyPersonCategory"), allow_empty=False,
                                     source="categories")
    risk = choice(Risk.choices, "KeyPersonRisk", required=False)
    station = ScopedPrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)
    officer = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    schools = ScopedPrimaryKeyRelatedField(queryset=School.objects.all(), many=True, required=False)
    disputes = ScopedPrimaryKeyRelatedField(queryset=Incident.objects.all(), many=True, required=False)
    status = choice(Status.choices, "KeyPersonStatus", required=False)
    away_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    away_until = serializers.DateField(required=False, allow_null=True)
    registered_on = serializers.DateField(required=False)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                  help_text="Written whole; answered masked.")
    address = serializers.CharField(max_length=300, write_only=True)
    location = serializers.ListField(child=serializers.FloatField(min_value=-180, max_value=180), min_length=2,
                                     max_length=2, required=False, write_only=True, help_text="[lat, lng]")
    basis = serializers.CharField(write_only=True)
    notes = serializers.CharField(write_only=True, required=False, allow_blank=True)
    co_managers = CoManagerSerializer(many=True, required=False)
    last_follow_up_on = serializers.DateField(read_only=True)
    follow_up_due = serializers.DateField(read_only=True)
    overdue = serializers.BooleanField(read_only=True, source="is_overdue")
    archived_at = serializers.DateTimeField(read_only=True)
    archived_reason = serializers.CharField(read_only=True)

    class Meta:
        model = KeyPerson

    def to_representation(self, person):
        return {
            "id": person.pk, "name": person.name, "id_number": person.masked_id_number, "sex": person.sex,
            "birth_date": person.birth_date.isoformat(), "category": person.category_values, "risk": person.risk,
            "station": person.station_id, "officer": person.officer_id,
            "schools": [school.pk for school in person.schools.all()],
            "disputes": [incident.pk for incident in person.disputes.all()],
            "status": person.status, "away_place": person.away_place,
            "away_until": person.away_until.isoformat() if person.away_until else None,
            "registered_on": person.registered_on.isoformat(), "phone": person.masked_phone,
            "co_managers": [{"kind": c.kind, "name": c.name, "contact": mask_number(c.secret("contact"))}
                            for c in person.co_managers.all()],
            "last_follow_up_on": person.last_follow_up_on.isoformat() if person.last_follow_up_on else None,
            "follow_up_due": person.follow_up_due.isoformat(), "overdue": person.is_overdue(),
            "archived_at": person.archived_at.isoformat() if person.archived_at else None,
            "archived_reason": person.archived_reason,
        }

    def service_fields(self) -> dict:
        data = dict(self.validated_data)
        if "co_managers" in data:
            data["co_managers"] = [dict(row) for row in data["co_managers"]]
        return data

    def create(self, validated_data):
        request = self.context["request"]
        return keyperson_create(user=request.user, request=request, **self.service_fields())

    def update(self, instance, validated_data):
        request = self.context["request"]
        return keyperson_update(person=instance, user=request.user, request=request, **self.service_fields())


class RevealRequest(Serializer):
    purpose = serializers.CharField(max_length=500, allow_blank=True, help_text="Why you need it now (recorded).")


class ArchiveRequest(Serializer):
    reason = serializers.CharField(max_length=200, allow_blank=True)


class FollowUpSerializer(Serializer):
    id = serializers.IntegerField(read_only=True)
    date = serializers.DateField()
    officer = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    method = choice(FollowUpMethod.choices, "KeyPersonFollowUpMethod")
    observed = serializers.CharField(write_only=True, help_text="What was seen (kept encrypted; not answered).")
    status_after = choice(Status.choices, "KeyPersonStatus")
    away_place = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)
    away_until = serializers.DateField(required=False, allow_null=True, write_only=True)
    due_on = serializers.DateField(read_only=True)
    on_time = serializers.BooleanField(read_only=True)


REVEALED = inline_serializer("KeyPersonRevealed", {
    "id_number": serializers.CharField(), "phone": serializers.CharField(), "address": serializers.CharField(),
    "location": serializers.CharField(), "basis": serializers.CharField(), "notes": serializers.CharField(),
    "co_managers": serializers.ListField(child=serializers.DictField()),
})
ACCESS = inline_serializer("KeyPersonAccess", {
    "time": serializers.DateTimeField(), "username": serializers.CharField(), "unit": serializers.CharField(),
    "ip": serializers.CharField(allow_null=True), "action": serializers.CharField(),
    "purpose": serializers.CharField(), "result": serializers.CharField(),
})


class AccessHistoryPermission(permissions.BasePermission):
    """The keepers, or the audit administrator."""

    def has_permission(self, request, view):
        return request.user.has_perm(AUDIT_PERMISSION) or request.user.has_perm("keypersons.reveal_keyperson")


class KeyPersonViewSet(ScopedGetObjectMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The key-person register (keepers write; supervisors and HQ read, masked)."""

    queryset = KeyPerson.objects.all()
    serializer_class = KeyPersonSerializer
    filterset_class = KeyPersonFilterSet
    permission_classes = [ModelPermissions, SecondFactorPassed]
    ordering_fields = ["name", "follow_up_due", "registered_on"]

    def get_queryset(self):
        return keyperson_detail(user=self.request.user)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        keyperson_record_read(request=request, persons=rows, action=AuditAction.LIST,
                              detail={"filters": audit_filters(request.query_params)})
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        person = self.get_object()
        keyperson_record_read(request=request, person=person)
        return Response(self.get_serializer(person).data)

    def perform_update(self, serializer):
        try:
            serializer.save()
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from None

    @extend_schema(request=RevealRequest, responses=REVEALED)
    @action(detail=True, methods=["post"], permission_classes=[
        ModelPermissions, SecondFactorPassed, HasPerms("keypersons.reveal_keyperson", on_object=True)])
    def reveal(self, request, pk=None):
        """The ID number, phone, address, location, basis, notes and the co-managing parties'
        contacts, for this answer only; refused without a purpose; recorded with it."""
        person = self.get_object()
        body = RevealRequest(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(keyperson_reveal(person=person, user=request.user, request=request,
                                         purpose=body.validated_data["purpose"]))

    @extend_schema(request=ArchiveRequest, responses=KeyPersonSerializer)
    @action(detail=True, methods=["post"], permission_classes=[
        ModelPermissions, SecondFactorPassed, HasPerms("keypersons.change_keyperson", on_object=True)])
    def archive(self, request, pk=None):
        """Take the person off the register, with the reason."""
        person = self.get_object()
        body = ArchiveRequest(data=request.data)
        body.is_valid(raise_exception=True)
        keyperson_archive(person=person, user=request.user, request=request, reason=body.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=person.pk)).data)

    @extend_schema(methods=["GET"], responses=FollowUpSerializer(many=True))
    @extend_schema(methods=["POST"], request=FollowUpSerializer, responses={201: FollowUpSerializer})
    @action(detail=True, methods=["get", "post"], url_path="follow-ups", pagination_class=None, filter_backends=[],
            permission_classes=[ModelPermissions, SecondFactorPassed])
    def follow_ups(self, request, pk=None):
        """GET: the person's follow-ups, newest first. POST: record one (keepers)."""
        person = self.get_object()
        if request.method == "POST":
            if not request.user.has_perm("keypersons.add_followup"):
                raise exceptions.PermissionDenied
            body = FollowUpSerializer(data=request.data, context={"request": request})
            body.is_valid(raise_exception=True)
            follow_up = followup_create(person=person, user=request.user, request=request, **body.validated_data)
            return Response(FollowUpSerializer(follow_up).data, status=201)
        return Response(FollowUpSerializer(followup_list(user=request.user, person=person), many=True).data)

    @extend_schema(responses=ACCESS)
    @action(detail=True, methods=["get"], url_path="access-history", pagination_class=None, filter_backends=[],
            permission_classes=[AccessHistoryPermission, SecondFactorPassed])
    def access_history(self, request, pk=None):
        """Who read, revealed, exported, changed or archived the person, when and why."""
        if request.user.has_perm(AUDIT_PERMISSION):
            if not KeyPerson.objects.filter(pk=pk).exists():
                raise Http404
            person_id = int(pk)
        else:
            person_id = self.get_object().pk
        return Response([{
            "time": event.time, "username": event.username, "unit": event.unit_name, "ip": event.ip,
            "action": event.action, "purpose": event.purpose,
            "result": event.result,
        } for event in access_history(person_id=person_id)])

    @extend_schema(responses=inline_serializer("NearbySchool", {
        "school": serializers.IntegerField(), "name": serializers.CharField(),
        "distance_m": serializers.IntegerField(), "confirmed": serializers.BooleanField()}, many=True))
    @action(detail=True, methods=["get"], url_path="nearby-schools", pagination_class=None, filter_backends=[],
            permission_classes=[ModelPermissions, SecondFactorPassed,
                                HasPerms("keypersons.change_keyperson", on_object=True)])
    def nearby_schools(self, request, pk=None):
        """Schools within KEYPERSON_SCHOOL_RADIUS_M of his address, nearest first: confirm
        them by writing `schools`."""
        person = self.get_object()
        confirmed = {school.pk for school in person.schools.all()}
        return Response([{"school": near.school.pk, "name": near.school.name, "distance_m": near.distance_m,
                          "confirmed": near.school.pk in confirmed}
                         for near in schools_nearby(user=request.user, location=person.secret("location"))])

    @extend_schema(
        parameters=[OpenApiParameter("start", str, description="First day (YYYY-MM-DD)."),
                    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD)."),
                    OpenApiParameter("unit", int, description="A unit in your scope: it and the units below it.")],
        responses=inline_serializer("KeyPersonFigures", {"key_persons": serializers.IntegerField(),
                                                         "key_persons_stable": serializers.IntegerField()}))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def figures(self, request):
        """Screened, stable, by category, risk and status, follow-ups on time and late, overdue
        now, disputes linked (keypersons.selectors.keyperson_figures)."""
        query = PeriodQuery(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        return Response(keyperson_figures(user=request.user, **query.validated_data))

