"""The back office in Chinese where Huxue's users meet third-party pieces: the five role
groups, the periodic jobs (django-celery-beat) and the login lockout (django-axes)."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from huxue.schedules import sync_periodic_task_names
from org.models import Role
from org.services import user_create
from tests.fixtures import PASSWORD

ROLE_NAMES = {"dispatcher": "派出所内勤", "officer": "执勤民警", "supervisor": "督察", "hq": "分局指挥中心",
              "admin": "系统管理员"}


@pytest.fixture
def root(cast, client):
    user = user_create(username="root", password=PASSWORD, role=Role.ADMIN, unit=cast.bureau, is_superuser=True)
    client.force_login(user)
    return user


def test_the_role_groups_show_their_chinese_names_and_keep_their_codes(root, client):
    html = client.get(reverse("admin:auth_group_changelist")).content.decode()
    for name in ROLE_NAMES.values():
        assert name in html, name
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_NAMES)  # the services' keys


def test_a_role_groups_page_is_titled_in_chinese_and_its_code_cannot_be_renamed(root, client):
    group = Group.objects.get(name="hq")
    response = client.get(reverse("admin:auth_group_change", args=[group.pk]))
    html = response.content.decode()
    assert "分局指挥中心" in html
    assert 'name="name"' not in html  # read-only: user_set_role finds the group by its code
    assert reverse("admin:auth_group_delete", args=[group.pk]) not in html


def test_an_accounts_groups_are_offered_by_their_chinese_names(root, client, cast):
    html = client.get(reverse("admin:org_user_change", args=[cast.alice.pk])).content.decode()
    assert "派出所内勤（dispatcher）" in html and "督察（supervisor）" in html


def make_as_the_migration_did(name, task, description=""):
    PeriodicTask.objects.filter(task=task).delete()
    every, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    return PeriodicTask.objects.create(name=name, task=task, interval=every, description=description)


def test_the_periodic_jobs_get_chinese_names_and_descriptions(root, client):
    close = make_as_the_migration_did(
        "Close ended shifts and mark absences", "duty.close_ended_shifts",
        "Decides the attendance of shifts that have ended: absent, late, left early.")
    renamed = make_as_the_migration_did("Remind people before their shift", "duty.send_reminders", "mine")
    renamed.name = "提醒（管理员改过）"
    renamed.save()
    sync_periodic_task_names()
    sync_periodic_task_names()  # twice is once
    close.refresh_from_db()
    renamed.refresh_from_db()
    assert (close.name, close.description) == ("结束已过班次并判定缺岗", "判定已结束班次的到岗情况：缺岗、迟到、提前撤岗。")
    assert (renamed.name, renamed.description) == ("提醒（管理员改过）", "mine")  # an administrator's words stay
    html = client.get(reverse("admin:django_celery_beat_periodictask_changelist")).content.decode()
    assert "结束已过班次并判定缺岗" in html
    assert "执行计划" in html and "以 任务" in html
    for english in ("Scheduler", "SCHEDULER", "Task Name", "Close ended shifts"):
        assert english not in html, english


def test_the_migrations_jobs_are_named_in_chinese_after_migrate(db):
    # post_migrate ran when the test database was made; a job the migrations left is Chinese.
    for task in PeriodicTask.objects.filter(task__in=["duty.generate_upcoming", "duty.close_ended_shifts"]):
        assert not task.name.isascii(), task.name


def test_the_lockout_section_is_chinese(root, client, cast):
    stranger = Client()
    for _ in range(5):
        stranger.post(reverse("login"), {"username": "bob", "password": "wrong-Password-1"})
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录锁定" in index and "登录尝试" in index and "登录日志" in index and "登录失败记录" in index
    html = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    import re; print(re.findall(r"<td class=.field-[^>]*>.*?</td>", html)[:8]); print(html.count("result_list"))
    for chinese in ("尝试时间", "IP地址", "浏览器标识", "用户名", "路径", "失败次数", "状态", "已锁定"):
        assert chinese in html, chinese
    for english in ("Attempt Time", "IP Address", "User Agent", "Failed Logins", "Locked Out", "Access attempts",
                    ">Status<", "Model name", "Add link"):
        assert english not in html, english
    for url in ("admin:axes_accesslog_changelist", "admin:axes_accessfailurelog_changelist"):
        page = client.get(reverse(url)).content.decode()
        assert "尝试时间" in page and "Attempt Time" not in page, url
