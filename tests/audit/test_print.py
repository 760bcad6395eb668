"""A page printed in the browser reports itself to the trail: its Print button (static/js/
huxue.js, data-huxue-print="record") posts the page's address and row count to audit:print,
which appends a "print" row with the page, its filters and the rows."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_printed_list_is_recorded_with_its_filters_and_rows(cast, client):
    client.force_login(cast.alice)
    page = client.get(reverse("posts:school_list"), {"q": "圣莲"})
    html = page.content.decode()
    # The page carries what the script sends: where to report, and how many rows it lists.
    assert f'data-huxue-print-record="{reverse("audit:print")}"' in html
    assert 'data-huxue-print="record" data-huxue-rows="1"' in html
    response = client.post(reverse("audit:print"), {"path": "/posts/schools/?q=%E5%9C%A3%E8%8E%B2", "rows": "1"})
    assert response.status_code == 204
    row = AuditEvent.objects.filter(action=AuditAction.PRINT).order_by("-seq").first()
    assert row.user == cast.alice
    assert row.detail == {"page": "/posts/schools/", "filters": {"q": "圣莲"}, "rows": 1}


def test_only_a_signed_in_user_may_report_and_only_a_page_of_this_site(cast, client):
    assert client.post(reverse("audit:print"), {"path": "/posts/schools/"}).status_code == 302
    client.force_login(cast.alice)
    assert client.post(reverse("audit:print"), {"path": "https://example.org/x"}).status_code == 400
    assert client.get(reverse("audit:print")).status_code == 405
    assert not AuditEvent.objects.filter(action=AuditAction.PRINT).exists()
