"""The OpenAPI schema says what the API answers, errors included (DESIGN.md, API contract):
400 with a field map, 401/403/404 with `{"detail": …}`, 409 when a delete is blocked, 429 when
a login is locked. A client generated from the schema, or a fuzzer checking answers against
it, then meets no undocumented answer.

Times of day are "HH:MM" both ways (REST_FRAMEWORK TIME_FORMAT): the schema says so with a
pattern, not with format "time", which means RFC 3339's "07:30:00+08:00"."""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import permissions, serializers, viewsets

from core.bounds import column_range

TIME_OF_DAY = {"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$", "example": "07:30"}

FIELD_ERRORS = {
    "type": "object",
    "description": "What was wrong, by field: each field (or `non_field_errors`) with its messages; a "
                   "list of objects gives the errors of each item, an object those of a nested one.",
    "additionalProperties": {
        "anyOf": [
            {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
            {"type": "object"},
            {"type": "string"},
        ]
    },
    "example": {"end": ["结束时间须晚于开始时间。"]},
}

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}

ERRORS = {
    "400": ("ValidationError", FIELD_ERRORS, "Bad input: the fields and what is wrong with each."),
    "401": ("ErrorDetail", DETAIL, "Not signed in (no or a wrong token)."),
    "403": ("ErrorDetail", DETAIL, "Signed in, but the role may not do this."),
    "404": ("ErrorDetail", DETAIL, "No such object, or one outside your scope (another station's)."),
    "409": ("ErrorDetail", DETAIL, "Cannot delete: other records still use it."),
    "429": ("ErrorDetail", DETAIL, "Too many failed logins: the account is locked for a while."),
}


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            meta = self._get_serializer_field_meta(field, direction)
            return {**TIME_OF_DAY, **meta}
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # An id chosen by number: the range of the ids of what it names.
        queryset = getattr(field, "queryset", None)
        if isinstance(field, serializers.PrimaryKeyRelatedField) and queryset is not None and schema.get("type") == "integer":
            bounds = column_range(queryset.model._meta.pk)
            if bounds is not None:
                schema.setdefault("minimum", bounds[0])
                schema.setdefault("maximum", bounds[1])
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code in responses:
                continue
            name, schema, description = ERRORS[code]
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, schema=schema, object=name)
            self.registry.register_on_missing(component)
            responses[code] = {
                "content": {"application/json": {"schema": component.ref}},
                "description": description,
            }
        return responses

    def error_codes(self) -> list[str]:
        """The error answers this operation can give."""
        codes = []
        has_path_id = "{" in self.path
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        is_list = getattr(self.view, "action", None) == "list"
        if self.method != "GET" or has_query:
            codes.append("400")
        if getattr(self.view, "answers_lockout", False):  # the token endpoint: a locked login
            return [*codes, "429"]
        if self._needs_sign_in():
            codes += ["401", "403"]
        # An id in the path may be another station's; a page may be past the last; a
        # lookup by a query parameter (the roster of a station) may find nothing in scope.
        if has_path_id or is_list or (self.method == "GET" and not isinstance(self.view, viewsets.ViewSetMixin)):
            codes.append("404")
        if self.method == "DELETE":
            codes.append("409")
        return codes

    def _needs_sign_in(self) -> bool:
        classes = getattr(self.view, "permission_classes", ())
        return bool(classes) and not all(issubclass(permission, permissions.AllowAny) for permission in classes)
