"""Huxue settings: one module, read from environment variables.

Defaults give the embedded setup (SQLite under var/, a file-system Celery broker), so a fresh
checkout runs with no server. Production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY and
ALLOWED_HOSTS. The helpers below refuse values they cannot read instead of guessing.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HUXUE_VAR_DIR", BASE_DIR / "var"))
# var/ holds everything a run writes (the SQLite files, the file-system broker, uploads); a fresh
# clone has none of it, so it is made here, on first use, by whichever command comes first.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str = "") -> str:
    """The variable's value; set but empty counts as not set."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# A production run must never fall back to a key that is known to everyone; a DEBUG run
# without one uses a random key kept under var/ (never in the repository).
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG is off, so Huxue refuses "
            "to start without one)."
        )
    _dev_key = VAR_DIR / "dev-secret-key"
    if not _dev_key.exists():
        try:
            fd = os.open(_dev_key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(50))
        except FileExistsError:
            pass  # another process wrote it first
    SECRET_KEY = _dev_key.read_text().strip()
elif len(SECRET_KEY) < 32 and not DEBUG:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "simple_history",
    "huxue.apps.AxesConfig",  # django-axes, named in Chinese in the back office
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # the recovery codes
    "huxue",
    "core",
    "audit",
    "org",
    "posts",
    "duty",
    "attendance",
    "supervision",
    "incidents",
    "outreach",
    "inspections",
    "keypersons",
    "reports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor login: the session's verified device, then the pages held until it is given.
    "django_otp.middleware.OTPMiddleware",
    "org.otp.SecondFactorRequiredMiddleware",
    # Every 403 into the audit trail.
    "audit.middleware.RefusedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must be last: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huxue.urls"
WSGI_APPLICATION = "huxue.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "huxue.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL names another one.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 600)
_default_db = f"sqlite:///{VAR_DIR / 'huxue.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db),
        conn_max_age=CONN_MAX_AGE,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker write while the web process reads; IMMEDIATE avoids
    # "database is locked" on write transactions that start as reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # SQLite keeps no server-side connection worth pooling; a long-lived one only holds locks.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so a real Celery worker process can share the test database;
    # one per test process, so two test runs never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-huxue-{os.getpid()}.sqlite3")}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if IS_POSTGRES and env_bool("POSTGRES_JIT_OFF", True):
    # Huxue's queries are short (a page's, a dashboard's: tens of milliseconds each); the JIT
    # compiler PostgreSQL turns on above its cost threshold spends 20-90 ms compiling each of
    # them at a province's size (benchmarks/dashboard_scale.py). POSTGRES_JIT_OFF=0 leaves the
    # server's setting.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "org.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# MLPS level 3: failed logins lock for 30 minutes (org/lockout.py), counted two ways, each
# switched and limited on its own: an account's failures from any address (AXES_LOCK_BY_USERNAME,
# AXES_FAILURE_LIMIT), so nobody guesses one password from many addresses; and an address's
# failures on any account (AXES_LOCK_BY_IP, AXES_IP_FAILURE_LIMIT), so one address cannot try
# many accounts. An address may be a whole station behind one NAT address, hence its higher
# limit. A good login clears the account's count, not the address's. The security
# administrator sees the locks and the failures behind them, and unlocks (/org/lockouts/).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [
    parameter
    for parameter, on in (
        ("username", env_bool("AXES_LOCK_BY_USERNAME", True)),
        ("ip_address", env_bool("AXES_LOCK_BY_IP", True)),
    )
    if on
]
if not AXES_LOCKOUT_PARAMETERS:
    raise ImproperlyConfigured("AXES_LOCK_BY_USERNAME and AXES_LOCK_BY_IP cannot both be off.")
if AXES_IP_FAILURE_LIMIT < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured("AXES_IP_FAILURE_LIMIT cannot be lower than AXES_FAILURE_LIMIT.")
AXES_HANDLER = "org.lockout.LockoutHandler"
# Every failed login is kept in axes' failure log too (the lockout page shows the latest).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor login (org/otp.py, django-otp): after the password, these roles give a six-digit
# code from an authenticator app (TOTP), or one of their one-time recovery codes, before any
# page or the API through the session; the first login enrols the app from a QR code. Not read
# from the environment: MLPS level 3 asks it of these roles, no deployment turns it off.
OTP_REQUIRED_ROLES = ("hq", "supervisor", "admin", "security", "auditor")
OTP_TOTP_ISSUER = "护学 Huxue"
# A wrong code makes the next try wait 1, 2, 4, 8 … seconds (django-otp's throttling).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

# API tokens (org/tokens.py): a token ends after API_TOKEN_IDLE unused, and API_TOKEN_MAX_AGE
# after it was issued however much it is used. Twelve hours idle covers the gap between a
# morning and an afternoon shift.
API_TOKEN_IDLE = timedelta(minutes=env_int("API_TOKEN_IDLE_MINUTES", 12 * 60))
API_TOKEN_MAX_AGE = timedelta(hours=env_int("API_TOKEN_MAX_AGE_HOURS", 7 * 24))
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Behind TLS in production: secure cookies, HSTS, redirect. HTTPS=0 for a plain-HTTP local run.
HTTPS = env_bool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# A form refused for its CSRF token gets a Chinese page with a way back, not Django's own.
CSRF_FAILURE_VIEW = "huxue.errors.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp), on every answer: everything from this site only, no
# inline script or style (no style="" either), no plug-ins, no framing, forms posting here only.
# A page that truly needs an inline element reads request.csp_nonce, and that answer's policy
# then carries the nonce (no page needs one today). Browsers report violations to /csp-report/
# (huxue.views.CspReportView logs them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the images style sheets embed (Bootstrap's and Swagger UI's icons).
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": "/csp-report/",
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env_str(
            "STATICFILES_BACKEND", "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huxue.api.authentication.ExpiringTokenAuthentication",
        "org.otp.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ModelPermissions"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.StrictDjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # Times of day as people write them (the schema's pattern says the same); "07:30:00" is
    # read too.
    "TIME_FORMAT": "%H:%M",
    "TIME_INPUT_FORMATS": ["%H:%M", "iso-8601"],
}
# List filters: a choice left empty reads "全部" (all), not "---------". No null choice (a
# label here would add a "none" option to every choice filter, filtering for empty values).
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("All")
FILTERS_NULL_CHOICE_LABEL = None
SPECTACULAR_SETTINGS = {
    "TITLE": "Huxue API",
    "DESCRIPTION": "Peak-hour school-protection duty (高峰护学勤务)",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CheckInMethodEnum": "attendance.models.CheckInMethod",
        "SpotCheckMethodEnum": "supervision.models.SpotCheckMethod",
        "PersonKindEnum": "org.models.PersonKind",
        "UnitKindEnum": "org.models.UnitKind",
        "SchoolKindEnum": "posts.models.SchoolKind",
        "IncidentKindEnum": "incidents.models.IncidentKind",
        "IncidentStepKindEnum": "incidents.models.StepKind",
        "DrillKindEnum": "outreach.models.DrillKind",
        # A bulletin's and a rectification notice's status: the same choices (draft, issued).
        "DocumentStatusEnum": "supervision.models.BulletinStatus",
    },
}

# Celery: Redis in production; without CELERY_BROKER_URL a file-system broker under var/,
# so the embedded run needs no server.
CELERY_DATA_DIR = VAR_DIR / "celery"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        # Broadcasts (ping, inspect) go through this folder; kombu's default is relative to cwd.
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "processed", "control", "results"):
        (CELERY_DATA_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", f"file://{CELERY_DATA_DIR / 'results'}")
else:
    # A task is acknowledged when it ends (acks late), so a worker killed or cut off
    # meanwhile loses it to nobody: Redis hands it to another worker once it has been out
    # this long. Longer than the longest task (a year's generation for the district takes
    # minutes), or a slow task would run twice; looked for every tenth of it, at most every 10 s.
    _visibility_timeout = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": _visibility_timeout,
        "unacked_restore_interval": max(1, min(10, _visibility_timeout // 10)),
        "unacked_restore_throttle": 1,
    }
    CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TIMEZONE = TIME_ZONE
# Tasks are safe to run twice (unique constraints, claimed outbox rows), so a task whose
# worker died is run again rather than lost: acknowledged after it ends, handed back when
# the pool's process dies under it, and stopped (to be handed back) when the broker is lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# In eager mode too, keep results, so a page polling a task's status sees it finish.
CELERY_TASK_STORE_EAGER_RESULT = CELERY_TASK_ALWAYS_EAGER
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CACHE_URL")}
        if env_str("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "huxue@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Import size guard: a station's Excel file is a few hundred rows; refuse absurd uploads.
# Each limit is checked before the file is parsed: its size, what it unpacks to (an .xlsx is
# a zip; a small one can unpack to hundreds of megabytes), and its rows. A full 5,000-row
# file of people unpacks to about 4 MB.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 5000)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# An uploaded file larger than this is streamed to a temporary file, not held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
# Spot-check photos: refused above this size (by the size the upload declares, before
# reading it) or above this many pixels (read from the image's header, never decoded).
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 5 * 1024 * 1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 60_000_000)

# Text messages: logged by default; set SMS_BACKEND=huxue.sms.HttpGatewayBackend and the
# gateway's URL and token to send them for real.
SMS_BACKEND = env_str("SMS_BACKEND", "huxue.sms.LoggingSmsBackend")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN")

# The outbox (core/outbox.py): how often a failing email, SMS or task dispatch is tried before
# it is given up (the pause doubles from 10 s to at most an hour), and how long delivered rows
# are kept (longer than CELERY_RESULT_EXPIRES, so a task's status stays answerable).
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12)
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 7)

# The audit trail (audit/): rows are kept AUDIT_KEEP_DAYS days (the Cybersecurity Law asks
# for six months; never fewer than 190) and then deleted by the daily `audit.purge`.
# AUDIT_ENABLED=False turns the trail off: only the benchmark measuring its cost does that.
AUDIT_KEEP_DAYS = env_int("AUDIT_KEEP_DAYS", 190)
if AUDIT_KEEP_DAYS < 190:
    raise ImproperlyConfigured("AUDIT_KEEP_DAYS must be at least 190 (the audit trail is kept six months).")
AUDIT_ENABLED = env_bool("AUDIT_ENABLED", True)

# Roster generation: how many days ahead the nightly run generates.
ROSTER_GENERATE_DAYS_AHEAD = env_int("ROSTER_GENERATE_DAYS_AHEAD", 14)
# The nightly check of the kept duty counts (duty.tallies) recounts this many days back.
TALLY_CHECK_DAYS = env_int("TALLY_CHECK_DAYS", 14)

# Attendance: how long before a shift check-in opens, and when people are reminded.
CHECK_IN_OPENS_MINUTES = env_int("CHECK_IN_OPENS_MINUTES", 30)
REMIND_BEFORE_MINUTES = env_int("REMIND_BEFORE_MINUTES", 30)
# The live board lists posts where nobody has checked in this long after the start.
NOBODY_THERE_AFTER_MINUTES = env_int("NOBODY_THERE_AFTER_MINUTES", 5)

# Incidents at the posts: an emergency still open this many minutes after it happened is
# flagged as overdue on the live board and the station's incident list.
INCIDENT_EMERGENCY_CLOSE_MINUTES = env_int("INCIDENT_EMERGENCY_CLOSE_MINUTES", 120)

# The "135" rapid response: seconds from the alarm within which the school's own security
# responds, the nearby police arrive and the reinforcements arrive (1, 3 and 5 minutes by
# default; places define them differently). A pull started from Huxue tells the people on
# duty at posts within RAPID_RESPONSE_NOTIFY_RADIUS_M metres of the school.
RAPID_RESPONSE_SCHOOL_SECONDS = env_int("RAPID_RESPONSE_SCHOOL_SECONDS", 60)
RAPID_RESPONSE_POLICE_SECONDS = env_int("RAPID_RESPONSE_POLICE_SECONDS", 180)
RAPID_RESPONSE_REINFORCEMENT_SECONDS = env_int("RAPID_RESPONSE_REINFORCEMENT_SECONDS", 300)
RAPID_RESPONSE_NOTIFY_RADIUS_M = env_int("RAPID_RESPONSE_NOTIFY_RADIUS_M", 3000)

# Inspections and hazards: the rectification notice's number prefix (numbered per year:
# 船公（治）整字〔2026〕第N号), the days a hazard has to be put right by its severity, and how
# many inspections every school gets a term at least.
NOTICE_NUMBER_PREFIX = env_str("NOTICE_NUMBER_PREFIX", "船公（治）整字")
HAZARD_DEADLINE_DAYS = {
    "high": env_int("HAZARD_DEADLINE_DAYS_HIGH", 3),
    "medium": env_int("HAZARD_DEADLINE_DAYS_MEDIUM", 15),
    "low": env_int("HAZARD_DEADLINE_DAYS_LOW", 30),
}
INSPECTIONS_PER_TERM = env_int("INSPECTIONS_PER_TERM", 1)

# The key-person register (keypersons/): its sensitive fields are encrypted with SM4 under
# versioned keys, "1:<32 hex digits>,2:<32 hex digits>" (KEYPERSON_KEYS), new values written
# with KEYPERSON_KEY_VERSION (0: the highest given); ID numbers are looked up by an SM3 HMAC
# under KEYPERSON_LOOKUP_KEY. Set both in production, outside the repository; left empty,
# keys are derived from SECRET_KEY (for the demo and the tests only).
KEYPERSON_KEYS = env_str("KEYPERSON_KEYS")
KEYPERSON_KEY_VERSION = env_int("KEYPERSON_KEY_VERSION", 0)
KEYPERSON_LOOKUP_KEY = env_str("KEYPERSON_LOOKUP_KEY")
# Days between follow-ups by risk level, and how near (metres) a school is "nearby".
KEYPERSON_FOLLOW_UP_DAYS = {
    "high": env_int("KEYPERSON_FOLLOW_UP_DAYS_HIGH", 7),
    "medium": env_int("KEYPERSON_FOLLOW_UP_DAYS_MEDIUM", 15),
    "low": env_int("KEYPERSON_FOLLOW_UP_DAYS_LOW", 30),
}
KEYPERSON_SCHOOL_RADIUS_M = env_int("KEYPERSON_SCHOOL_RADIUS_M", 1000)
