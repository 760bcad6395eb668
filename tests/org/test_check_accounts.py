"""manage.py check_accounts: no superuser, no account holding two administrator roles, and
(in production) no demo account or password."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from org.models import Role
from org.services import user_create


def test_the_cast_passes(cast, capsys):
    call_command("check_accounts")
    assert "no superuser" in capsys.readouterr().out


def test_a_superuser_fails_it_by_name(cast):
    user_create(username="root", password="Root-pass-2026", role=Role.ADMIN, unit=cast.bureau, is_superuser=True)
    with pytest.raises(CommandError, match="root: is a superuser"):
        call_command("check_accounts")


def test_two_administrator_roles_through_a_group_fail_it(cast):
    cast.ada.groups.add(Group.objects.get(name=Role.AUDITOR))
    with pytest.raises(CommandError, match="ada: holds admin and auditor"):
        call_command("check_accounts")


def test_an_inactive_account_does_not_count(cast):
    cast.ada.groups.add(Group.objects.get(name=Role.SECURITY))
    cast.ada.is_active = False
    cast.ada.save()
    call_command("check_accounts")


def test_in_production_a_demo_account_or_the_demo_password_fails_it(cast):
    call_command("check_accounts", "--production")
    user_create(username="dispatcher", password="Other-pass-2026", role=Role.DISPATCHER, unit=cast.station_a)
    user_create(username="zhang", password="Huxue@2026", role=Role.DISPATCHER, unit=cast.station_a)
    with pytest.raises(CommandError) as refused:
        call_command("check_accounts", "--production")
    assert "dispatcher: is a demo account" in str(refused.value)
    assert "zhang: has the demo password" in str(refused.value)
    call_command("check_accounts")  # without --production the demo is allowed
