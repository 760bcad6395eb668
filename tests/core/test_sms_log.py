"""The SMS back ends log a masked number and never the message's text (MLPS, the PIPL: the
log is read by more people than the message was meant for); the number is masked the one way
core.masking says."""

import io
import json
import logging
import urllib.request

import pytest

from core.masking import mask_number
from core.sms import HttpGatewayBackend, LoggingSmsBackend

PHONE = "13812345678"
TEXT = "张斌：明早7:00 圣莲岛小学正门护学岗"


def sms_log(caplog) -> str:
    return "\n".join(record.getMessage() for record in caplog.records if record.name == "core.sms")


@pytest.mark.parametrize("value, masked", [
    ("13812345678", "138****5678"),
    ("+8613812345678", "+86*******5678"),
    ("110101199003077777", "110***********7777"),
    ("A0123", "****3"),
    ("12345678", "******78"),
    ("123", "***"),
    ("", ""),
    (None, ""),
])
def test_a_number_keeps_only_its_ends(value, masked):
    assert mask_number(value) == masked


def test_the_logging_backend_logs_the_masked_number_and_no_text(caplog):
    LoggingSmsBackend.sent = []
    with caplog.at_level(logging.INFO, logger="core.sms"):
        LoggingSmsBackend().send(PHONE, TEXT)
    log = sms_log(caplog)
    assert "138****5678" in log
    assert PHONE not in log and "张斌" not in log and "护学岗" not in log
    # A test still reads the whole message from memory.
    assert LoggingSmsBackend.sent == [(PHONE, TEXT)]
    LoggingSmsBackend.sent = []


def test_the_gateway_backend_sends_the_whole_message_and_logs_it_masked(caplog, settings, monkeypatch):
    settings.SMS_GATEWAY_URL = "https://sms.example.org/send"
    settings.SMS_GATEWAY_TOKEN = "secret-token"
    posted = []

    class Answer(io.BytesIO):
        status = 200

    def urlopen(request, timeout):
        posted.append(json.loads(request.data))
        return Answer(b"{}")

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    with caplog.at_level(logging.DEBUG, logger="core.sms"):
        HttpGatewayBackend().send(PHONE, TEXT)
    assert posted == [{"phone": PHONE, "text": TEXT}]
    log = sms_log(caplog)
    assert "138****5678" in log and PHONE not in log and "张斌" not in log
    assert "secret-token" not in log
