"""The three separated administrators (三权分立, MLPS level 3).

- the system administrator (Ada) keeps accounts, units and settings, and reads no person,
  school, post, shift or finding (the resource contracts give him 403 on each);
- the security administrator (Sid) alone changes a user's role, groups and permissions,
  and cannot rename an account or set its password;
- the audit administrator (Audrey) holds nothing outside the audit trail.
"""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from org.models import Role
from org.services import user_set_role

BUSINESS_APPS = ("org", "posts", "duty", "attendance", "supervision", "reports")
ACCOUNT_PERMISSIONS = {"org.add_user", "org.change_user", "org.delete_user", "org.view_user"}
SETTINGS_PERMISSIONS = {"org.add_unit", "org.change_unit", "org.delete_unit", "org.view_unit",
                        "posts.add_holiday", "posts.change_holiday", "posts.delete_holiday", "posts.view_holiday",
                        "posts.add_holidayyear", "posts.change_holidayyear", "posts.delete_holidayyear",
                        "posts.view_holidayyear", "auth.view_group"}


def business(perms: set[str]) -> set[str]:
    return {p for p in perms if p.split(".")[0] in BUSINESS_APPS}


def test_the_system_administrator_keeps_accounts_units_and_settings_only(cast):
    perms = cast.ada.get_all_permissions()
    assert business(perms) - ACCOUNT_PERMISSIONS - SETTINGS_PERMISSIONS <= {"duty.view_generationrun"}
    assert "org.view_person" not in perms and "posts.view_school" not in perms
    assert "org.change_user_role" not in perms and "auth.change_group" not in perms


def test_the_security_administrator_grants_roles_and_nothing_of_the_business(cast):
    perms = cast.sid.get_all_permissions()
    assert {"org.change_user_role", "auth.change_group"} <= perms
    # Accounts' API tokens are account security, not business data (org/tokens.py).
    assert business(perms) == {"org.view_user", "org.change_user_role", "org.view_apitoken", "org.delete_apitoken"}


def test_the_audit_administrator_holds_only_the_audit_trail(cast):
    assert {p for p in cast.audrey.get_all_permissions() if not p.startswith("audit.")} == set()


def test_no_administrator_is_a_superuser_and_each_holds_his_one_role_group(cast):
    for user, role in ((cast.ada, Role.ADMIN), (cast.sid, Role.SECURITY), (cast.audrey, Role.AUDITOR)):
        assert not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert cast.ada.is_staff and cast.sid.is_staff and not cast.audrey.is_staff


def test_only_the_security_administrator_may_change_a_role(cast):
    for someone in (cast.ada, cast.audrey, cast.henry, cast.alice):
        with pytest.raises(PermissionDenied):
            user_set_role(user=cast.bob, role=Role.HQ, by=someone)
    cast.bob.refresh_from_db()
    assert cast.bob.role == Role.DISPATCHER
    user_set_role(user=cast.bob, role=Role.SUPERVISOR, by=cast.sid)
    cast.bob.refresh_from_db()
    assert cast.bob.role == Role.SUPERVISOR
    assert list(cast.bob.groups.values_list("name", flat=True)) == [Role.SUPERVISOR]
    event = AuditEvent.objects.filter(action="role_change", object_id=str(cast.bob.pk)).latest("seq")
    assert event.user == cast.sid
    assert (event.detail["from"], event.detail["to"]) == ("dispatcher", "supervisor")


def user_form(user, **changes) -> dict:
    data = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "unit": user.unit_id or "", "role": user.role, "is_active": "on",
            "groups": list(user.groups.values_list("pk", flat=True)), "user_permissions": []}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_in_the_back_office_the_system_administrator_cannot_change_a_role(cast, client):
    client.force_login(cast.ada)
    url = reverse("admin:org_user_change", args=[cast.bob.pk])
    html = client.get(url).content.decode()
    assert 'name="role"' not in html and 'name="groups"' not in html and 'name="username"' in html
    hq = Group.objects.get(name=Role.HQ)
    response = client.post(url, user_form(cast.bob, role=Role.HQ, groups=[hq.pk], last_name="薄"))
    assert response.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.role == Role.DISPATCHER and cast.bob.last_name == "薄"
    assert list(cast.bob.groups.values_list("name", flat=True)) == [Role.DISPATCHER]


def test_in_the_back_office_the_security_administrator_changes_roles_and_nothing_else(cast, client):
    client.force_login(cast.sid)
    url = reverse("admin:org_user_change", args=[cast.bob.pk])
    html = client.get(url).content.decode()
    assert 'name="role"' in html and 'name="username"' not in html and 'name="is_superuser"' not in html
    response = client.post(url, user_form(cast.bob, role=Role.SUPERVISOR, username="bobby"))
    assert response.status_code == 302
    cast.bob.refresh_from_db()
    assert cast.bob.username == "bob" and cast.bob.role == Role.SUPERVISOR
    assert list(cast.bob.groups.values_list("name", flat=True)) == [Role.SUPERVISOR]
    event = AuditEvent.objects.filter(action="role_change", object_id=str(cast.bob.pk)).latest("seq")
    assert (event.user, event.detail["from"], event.detail["to"]) == (cast.sid, "dispatcher", "supervisor")
    assert event.ip == "127.0.0.1"
    password_url = reverse("admin:auth_user_password_change", args=[cast.bob.pk])  # org/user/…/password/
    assert client.get(password_url).status_code == 403
    assert client.get(reverse("admin:org_user_add")).status_code == 403


def test_a_change_of_a_role_groups_permissions_is_audited(cast, client):
    client.force_login(cast.sid)
    group = Group.objects.get(name=Role.HQ)
    kept = list(group.permissions.values_list("pk", flat=True))
    response = client.post(reverse("admin:auth_group_change", args=[group.pk]), {"permissions": kept[:-1]})
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="permission_change").latest("seq")
    assert event.user == cast.sid and event.object_id == str(group.pk)
    client.force_login(cast.ada)
    assert client.post(reverse("admin:auth_group_change", args=[group.pk]), {"permissions": []}).status_code == 403
    assert group.permissions.count() == len(kept) - 1


def test_the_audit_administrator_has_no_way_into_the_accounts(cast, client):
    client.force_login(cast.audrey)
    assert client.get(reverse("admin:org_user_change", args=[cast.bob.pk])).status_code in (302, 403)
