"""API sign-in: tokens issued for a password (one per device, expiring; read by
huxue.api.authentication), and the token list an owner (or the security administrator) revokes
from. The tokens themselves are org/tokens.py's."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import AuditAction
from audit.services import audit_record
from org.models import ApiToken
from org.otp import otp_device_for_code, second_factor_required
from org.tokens import RevokeReason, token_list, token_mint, token_revoke


def lockout_message() -> str:
    return _(
        "Too many failed logins: this account or this address is locked for 30 minutes. Try "
        "again later, or ask the security administrator to unlock it."
    )


class TokenRequestSerializer(AuthTokenSerializer):
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=32,
        help_text="The six-digit code of the account's authenticator app (or a recovery code): "
                  "required for the roles that log in with two factors.",
    )


class ObtainTokenView(APIView):
    """POST username and password (and a name for the device), get `{"token": …}`: the key,
    shown this once. Goes through django-axes like the login page, so repeated wrong
    passwords lock the account (or the address) here too (429 with the reason)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    serializer_class = TokenRequestSerializer
    # The schema documents a lockout's 429 for this view (core/api/schema.py).
    answers_lockout = True

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("TokenResponse", {
            "token": serializers.CharField(), "id": serializers.IntegerField(),
            "name": serializers.CharField(), "expires_at": serializers.DateTimeField(),
        }),
    )
    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # axes marks the DRF request it was given when it refused a locked account.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": lockout_message()}, status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise serializers.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        # A password alone does not mint a token for a role that logs in with two factors.
        if second_factor_required(user):
            code = serializer.validated_data.get("otp", "")
            if not code or otp_device_for_code(user=user, code=code) is None:
                audit_record(action=AuditAction.LOGIN_FAILED, request=request, user=user, result="refused",
                             username=user.get_username(), detail={"via": "api", "second_factor": "missing or wrong"})
                raise serializers.ValidationError({"otp": [_(
                    "This account logs in with two factors: give the six-digit code of its authenticator app "
                    "(or a recovery code).")]})
        # A failed one is recorded by Django's user_login_failed signal (audit/hooks.py).
        audit_record(action=AuditAction.LOGIN, request=request, user=user, detail={"via": "api"})
        name = serializer.validated_data.get("name") or request.META.get("HTTP_USER_AGENT", "")
        token, key = token_mint(user=user, name=name, request=request)
        return Response({"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at})


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    current = serializers.SerializerMethodField(help_text="Whether this request was made with it.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "user", "username", "created_at", "last_used_at", "expires_at", "current"]
        read_only_fields = fields

    def get_current(self, token) -> bool:
        return self.context["request"].auth == token


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin,
                      viewsets.GenericViewSet):
    """The caller's live tokens (everyone's for the security administrator, `?user=` to pick
    one); DELETE revokes one. Another user's token is not found (404)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["user"]
    ordering_fields = ["created_at", "last_used_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being built: no user
            return ApiToken.objects.none()
        return token_list(user=self.request.user)

    def perform_destroy(self, instance):
        own = instance.user_id == self.request.user.pk
        if not own and not self.request.user.has_perm("org.delete_apitoken"):
            raise exceptions.NotFound()
        token_revoke(token=instance, reason=RevokeReason.OWNER if own else RevokeReason.SECURITY,
                     request=self.request)
