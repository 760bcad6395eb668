"""The API's token authentication. A module of its own: DRF imports its authentication classes
while rest_framework.views is still loading, so this one must not import views."""

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from org.tokens import token_authenticate


class ExpiringTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>`, with a key from huxue.api.auth.ObtainTokenView; an expired
    or revoked key is refused (401)."""

    def authenticate_credentials(self, key):
        token = token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
