"""Settings are read from the environment; these run `manage.py` in a child process with
a chosen environment, exactly as a deployment would start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(env_overrides: dict, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL", "HTTPS"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args, *(["-v", "0"] if args[0] == "shell" else [])], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


PRINT_DB = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'], s.DEBUG)"


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_manage({}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_a_short_secret_key_in_production():
    result = run_manage({"SECRET_KEY": "short"}, "check")
    assert result.returncode != 0
    assert "at least 32 characters" in result.stderr


def test_debug_is_off_unless_asked_for():
    result = run_manage({"SECRET_KEY": "x" * 50}, "shell", "-c", PRINT_DB)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "False"]


def test_it_refuses_a_debug_value_it_cannot_read():
    result = run_manage({"SECRET_KEY": "x" * 50, "DEBUG": "maybe"}, "check")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_database_url_switches_to_postgresql():
    result = run_manage(
        {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://huxue@db.example:5432/huxue"},
        "shell", "-c",
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "db.example", "huxue", "600", "True"]


def test_production_settings_use_secure_cookies_and_hsts():
    result = run_manage(
        {"SECRET_KEY": "x" * 50},
        "shell", "-c",
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "1800", "True"]


def test_a_fresh_checkout_makes_var_and_its_folders_on_first_use(tmp_path):
    """A fresh clone has no var/: the first command makes it, the broker's folders and the
    media folder, so the SQLite database and a worker can be opened at once."""
    var = tmp_path / "var-that-does-not-exist-yet"
    result = run_manage(
        {"SECRET_KEY": "x" * 50, "HUXUE_VAR_DIR": str(var), "CELERY_BROKER_URL": ""},
        "shell", "-c",
        "from django.db import connection; connection.ensure_connection(); print(connection.vendor)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["sqlite"]
    for folder in ("celery/queue", "celery/processed", "celery/control", "celery/results", "media"):
        assert (var / folder).is_dir(), folder
    assert (var / "huxue.sqlite3").exists()


def test_every_enum_name_override_names_a_choice_class_that_exists():
    """drf-spectacular's ENUM_NAME_OVERRIDES name choice classes by dotted path; one left
    behind by a model's move fails `check --deploy` (a warning there is an error)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    for name, path in settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].items():
        assert hasattr(import_string(path), "choices"), name
