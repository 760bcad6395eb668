"""The SMS backends live in core.sms; this name stays importable, so an SMS_BACKEND setting
written as `huxue.sms.HttpGatewayBackend` keeps working."""

from core.sms import (  # noqa: F401
    BaseSmsBackend,
    HttpGatewayBackend,
    LoggingSmsBackend,
    SmsError,
    get_sms_backend,
)
