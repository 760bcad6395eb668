from django.urls import reverse

from tests.keypersons.conftest import a_person, api_for


def test_it_lists_and_shows_a_person(cast, client):
    person = a_person(cast)
    client.force_login(cast.alice)
    response = client.get(reverse("keypersons:keyperson_list"))
    assert response.status_code == 200, response
    assert "no-store" in response["Cache-Control"]
    response = client.get(reverse("keypersons:keyperson_detail", args=[person.pk]))
    assert response.status_code == 200
    api = api_for(cast.alice)
    response = api.get("/api/v1/key-persons/")
    assert response.status_code == 200, response.content
    print(response.json())
