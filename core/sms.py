"""Sending text messages, behind a small interface.

`SMS_BACKEND` names the class. The default logs each message (nothing leaves the machine);
`core.sms.HttpGatewayBackend` posts JSON to the gateway at `SMS_GATEWAY_URL` with the bearer
token `SMS_GATEWAY_TOKEN` (a police SMS platform or a commercial provider's HTTP API)."""

from __future__ import annotations

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from core.masking import mask_number

logger = logging.getLogger(__name__)


class SmsError(Exception):
    pass


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LoggingSmsBackend(BaseSmsBackend):
    """Logs that a message was sent, instead of sending it: the number masked and no text
    (MLPS and the PIPL: a log is no place for a person's number or what he was told). It keeps
    the whole message in `sent`, in memory, for a test to read, like Django's mail.outbox."""

    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        # The log is read by more people than the message was meant for: a masked number and
        # the message's length, never its text.
        logger.info("SMS to %s (%d characters)", mask_number(phone), len(text))
        type(self).sent.append((phone, text))


class HttpGatewayBackend(BaseSmsBackend):
    """POST {"phone": …, "text": …} to SMS_GATEWAY_URL; any non-2xx answer is an error."""

    def __init__(self):
        self.url = settings.SMS_GATEWAY_URL
        self.token = settings.SMS_GATEWAY_TOKEN
        if not self.url:
            raise SmsError("SMS_GATEWAY_URL is not set")

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"phone": phone, "text": text}).encode()
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                if not 200 <= response.status < 300:
                    raise SmsError(f"gateway answered {response.status}")
        except OSError as exc:
            raise SmsError(str(exc)) from exc
        logger.info("SMS to %s sent through the gateway", mask_number(phone))


def get_sms_backend() -> BaseSmsBackend:
    """The backend SMS_BACKEND names (a dotted path, read when called)."""
    return import_string(settings.SMS_BACKEND)()
