"""One error format for the API: 400 `{field: [messages]}`; 401/403/404/409 `{"detail": …}`.

Services raise Django's ValidationError; this turns it into the same 400 a serializer gives,
so a rule checked in a service reads the same in the API as in a form."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, (ProtectedError, RestrictedError)):
        blocking = sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects
                           } if isinstance(exc, ProtectedError) else
                          {str(obj._meta.verbose_name) for obj in exc.restricted_objects})
        return Response(
            {"detail": _("Cannot delete: still used by %(what)s.") % {"what": "、".join(blocking)}},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)
