import pytest
from django.urls import reverse

from incidents.services import incident_create


@pytest.mark.django_db
def test_smoke(cast, client):
    incident = incident_create(user=cast.alice, kind="help", school=cast.school_a, post=cast.post_a,
                               summary="家长求助", people_count=2)
    client.force_login(cast.alice)
    for url in [reverse("incidents:incident_list"), incident.get_absolute_url(), reverse("incidents:incident_add"),
                reverse("incidents:incident_edit", args=[incident.pk]),
                reverse("incidents:school_incidents", args=[cast.school_a.pk]), "/api/v1/incidents/",
                f"/api/v1/incidents/{incident.pk}/", "/api/v1/incidents/figures/", "/incidents/?export=xlsx"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:2000])
