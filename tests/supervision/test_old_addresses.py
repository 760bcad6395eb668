"""The supervision pages lived under /duty/ before they had an app of their own: those
addresses answer a permanent redirect to the same page under /supervision/, query string and
all, and the pages themselves no longer answer there."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_spot_check_list_redirects_permanently_with_its_query(client):
    response = client.get("/duty/spot-checks/?station=3&method=video")
    assert response.status_code == 301
    assert response["Location"] == "/supervision/spot-checks/?station=3&method=video"
    assert reverse("supervision:spotcheck_list") == "/supervision/spot-checks/"


@pytest.mark.django_db
@pytest.mark.parametrize("old, new", [
    ("/duty/spot-checks/", "/supervision/spot-checks/"),
    ("/duty/spot-checks/add/", "/supervision/spot-checks/add/"),
    ("/duty/spot-checks/sample/", "/supervision/spot-checks/sample/"),
    ("/duty/spot-checks/12/", "/supervision/spot-checks/12/"),
    ("/duty/findings/5/photo/", "/supervision/findings/5/photo/"),
    ("/duty/bulletins/", "/supervision/bulletins/"),
    ("/duty/bulletins/7/", "/supervision/bulletins/7/"),
    ("/duty/bulletins/7/print/", "/supervision/bulletins/7/print/"),
    ("/duty/bulletins/7/docx/", "/supervision/bulletins/7/docx/"),
])
def test_every_old_address_redirects_to_its_page(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


@pytest.mark.django_db
def test_the_api_keeps_its_addresses(client):
    assert reverse("spotcheck-list") == "/api/v1/spot-checks/"
    assert reverse("bulletin-list") == "/api/v1/bulletins/"
