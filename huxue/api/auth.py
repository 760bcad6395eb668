from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response


def lockout_message() -> str:
    return _(
        "Too many failed logins: this account is locked for 30 minutes. Try again later, or ask "
        "the system administrator to unlock it."
    )


class ObtainTokenView(ObtainAuthToken):
    """POST username and password, get `{"token": …}`. Goes through django-axes like the
    login page, so five wrong passwords lock the account here too (429 with the reason)."""

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(), "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # axes marks the DRF request it was given when it refused a locked account.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise serializers.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
