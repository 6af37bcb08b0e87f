"""Settings for the Dukcapil Kota Kupang e-KTP records system, read from the environment.

DATABASE_URL   database (default: SQLite file var/dukcapil.sqlite3)
SECRET_KEY     signing key (default: generated once into var/secret_key)
DEBUG          "1"/"true" to enable debug pages (default: off)
ALLOWED_HOSTS  comma-separated host names (default: localhost, 127.0.0.1)
DUKCAPIL_DEMO  "1" lets demo_users create demo accounts (default: off unless DEBUG)
DUKCAPIL_OTP_REQUIRED          "0" switches the second factor off (default: on)
DUKCAPIL_SESSION_IDLE_MINUTES  minutes of inactivity that end a session (default: 30)
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DUKCAPIL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_flag("DEBUG")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "dukcapil.admin_site.DukcapilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dukcapil",
    "registry",
    "stock",
    "shifts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns the lockout the login view reached into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dukcapil.urls"
WSGI_APPLICATION = "dukcapil.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dukcapil" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# In production DATABASE_URL names a role that owns nothing; `manage.py migrate` is run with
# DATABASE_URL naming the tables' owner instead (see `manage.py db_roles` and the README).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dukcapil.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve the reports on PostgreSQL; SQLite, the embedded default,
# builds them without the extra columns, which is all it can do and fine for a demo.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# The cache holds the public pages' rate-limit counters: each server process's own memory on
# the embedded default (one process), Redis shared by every process when REDIS_URL is set.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if (REDIS_URL := os.environ.get("REDIS_URL"))
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "dukcapil" / "locale"]
TIME_ZONE = "Asia/Makassar"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

SESSION_COOKIE_HTTPONLY = True
# Desk computers are shared: a session ends after this much inactivity or when the browser
# closes, and every request pushes the end back.
SESSION_COOKIE_AGE = int(os.environ.get("DUKCAPIL_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
LOGIN_URL = "admin:login"
CSRF_FAILURE_VIEW = "dukcapil.errors.csrf_failure"

# The account check runs before the password check, so a locked account stays locked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five wrong passwords for one user name, or from one address, lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dukcapil.admin_users.lockout_response"
AXES_COOLOFF_MESSAGE = "Akun dikunci: terlalu banyak percobaan masuk. Coba lagi nanti."
AXES_PERMALOCK_MESSAGE = AXES_COOLOFF_MESSAGE
# Logins are already in the audit log (dukcapil.AuditEntry); one record is enough.
AXES_DISABLE_ACCESS_LOG = True

# A second factor (TOTP) for Kepala Seksi, Administrator and superusers (dukcapil.two_factor).
DUKCAPIL_OTP_REQUIRED = _env_flag("DUKCAPIL_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "Dukcapil Kota Kupang"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# demo_users prints passwords and keys; it runs only on a demo or debug installation.
DUKCAPIL_DEMO = _env_flag("DUKCAPIL_DEMO")

# Spreadsheet uploads (imports). Files above these limits are refused before parsing.
DUKCAPIL_UPLOAD_MAX_BYTES = int(os.environ.get("DUKCAPIL_UPLOAD_MAX_BYTES", 25 * 1024 * 1024))
DUKCAPIL_XLSX_MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
DUKCAPIL_XLSX_MAX_RATIO = 200
# What one imported sheet may hold: calamine keeps a sheet as a dense grid (rows × columns),
# so the columns and cells are capped as well as the rows; larger sheets are refused unread.
DUKCAPIL_IMPORT_MAX_ROWS = int(os.environ.get("DUKCAPIL_IMPORT_MAX_ROWS", 250_000))
DUKCAPIL_IMPORT_MAX_COLUMNS = int(os.environ.get("DUKCAPIL_IMPORT_MAX_COLUMNS", 200))
DUKCAPIL_IMPORT_MAX_CELLS = int(os.environ.get("DUKCAPIL_IMPORT_MAX_CELLS", 10_000_000))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Most blanks one write-off may name: a failed print spoils one, a wet box a few hundred.
DUKCAPIL_SPOIL_MAX_SERIALS = int(os.environ.get("DUKCAPIL_SPOIL_MAX_SERIALS", 500))
# A receipt of more blanks than this is confirmed explicitly: a mistyped range
# ("KTP0006000-KTP0106000") would otherwise book 100,000 phantom blanks.
DUKCAPIL_RECEIPT_CONFIRM_ABOVE = int(os.environ.get("DUKCAPIL_RECEIPT_CONFIRM_ABOVE", 20_000))
# Below this many prints the observed spoilage says little: the forecast uses the documented 5%.
DUKCAPIL_FORECAST_MIN_PRINTS = int(os.environ.get("DUKCAPIL_FORECAST_MIN_PRINTS", 200))
# Uploads hold whole lists of NIKs: size-checked before they are stored (the first handler
# passes nothing above DUKCAPIL_UPLOAD_MAX_BYTES on), kept outside MEDIA_ROOT, readable only by
# the service's OS user, private to the uploader and gone after an hour (dukcapil.uploads).
FILE_UPLOAD_HANDLERS = [
    "dukcapil.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DUKCAPIL_UPLOAD_DIR = VAR_DIR / "uploads"
DUKCAPIL_UPLOAD_KEEP_SECONDS = int(os.environ.get("DUKCAPIL_UPLOAD_KEEP_SECONDS", 60 * 60))

# Handover policy. "refuse": only the resident collects the card (the default, anti-calo).
# "family": a family member on the same Kartu Keluarga may collect with the original KTP-el.
DUKCAPIL_HANDOVER_PROXY_POLICY = os.environ.get("DUKCAPIL_HANDOVER_PROXY_POLICY", "refuse")
# A suket is refused while any blank is in stock: print the card instead.
DUKCAPIL_SUKET_REFUSED_WHILE_STOCK = _env_flag("DUKCAPIL_SUKET_REFUSED_WHILE_STOCK", True)

# Roster rules (shifts.rules) and the generator's time budget (shifts.generator).
SHIFTS_MAX_CONSECUTIVE_NIGHTS = int(os.environ.get("SHIFTS_MAX_CONSECUTIVE_NIGHTS", 3))
# 40 hours: the working week of UU Ketenagakerjaan and of civil servants on shift duty.
SHIFTS_MAX_WEEKLY_HOURS = int(os.environ.get("SHIFTS_MAX_WEEKLY_HOURS", 40))
SHIFTS_SOLVER_SECONDS = int(os.environ.get("SHIFTS_SOLVER_SECONDS", 15))

# Exact searches by a full NIK or No. KK per user per hour (dukcapil.privacy): enough for a
# desk, too few to guess a NIK from its masked digits.
DUKCAPIL_NIK_SEARCHES_PER_HOUR = int(os.environ.get("DUKCAPIL_NIK_SEARCHES_PER_HOUR", "60"))

# Import and export each need their own permission ("registry.import_resident" etc.);
# without these settings any staff user could import into or export any model.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = "dukcapil.uploads.UploadStorage"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Capacity planner (registry.planner). What one station does in one staffed 8-hour shift
# (DESIGN.md §1: a recording set about 150 people a day, a printer 200–250 cards a day), how
# many recording sets the office has (printers are the active printer stations of the stock),
# how many printers one operator tends, and the posts of the roster that man them.
DUKCAPIL_RECORDING_PER_SET_SHIFT = int(os.environ.get("DUKCAPIL_RECORDING_PER_SET_SHIFT", 150))
DUKCAPIL_PRINTING_PER_PRINTER_SHIFT = int(
    os.environ.get("DUKCAPIL_PRINTING_PER_PRINTER_SHIFT", 225)
)
DUKCAPIL_RECORDING_SETS = int(os.environ.get("DUKCAPIL_RECORDING_SETS", 2))
DUKCAPIL_PRINTERS_PER_OPERATOR = int(os.environ.get("DUKCAPIL_PRINTERS_PER_OPERATOR", 2))
DUKCAPIL_RECORDING_POST = os.environ.get("DUKCAPIL_RECORDING_POST", "REK")
DUKCAPIL_PRINTING_POST = os.environ.get("DUKCAPIL_PRINTING_POST", "CTK")

# Queue tickets (registry.services.tickets): a ticket called this many times without an
# answer may be skipped as a no-show; the public kiosk gives one address this many tickets
# an hour (counted in the configured cache).
DUKCAPIL_TICKET_SKIP_AFTER_CALLS = int(os.environ.get("DUKCAPIL_TICKET_SKIP_AFTER_CALLS", 3))
DUKCAPIL_KIOSK_TICKETS_PER_HOUR = int(os.environ.get("DUKCAPIL_KIOSK_TICKETS_PER_HOUR", 30))

# Messages to residents (dukcapil.outbox, dukcapil.gateways). The gateway: "log" writes each
# message to the log with the number masked (the default: nothing leaves the office); "http"
# posts it to an SMS/WhatsApp gateway at DUKCAPIL_SMS_GATEWAY_URL with the token as a bearer,
# as JSON or as a form ("json"/"form"). The template names the gateway's fields: a JSON object
# whose values may hold {phone} (0812…), {phone_intl} (62812…) and {body}.
DUKCAPIL_SMS_GATEWAY = os.environ.get("DUKCAPIL_SMS_GATEWAY", "log")
DUKCAPIL_SMS_GATEWAY_URL = os.environ.get("DUKCAPIL_SMS_GATEWAY_URL", "")
DUKCAPIL_SMS_GATEWAY_TOKEN = os.environ.get("DUKCAPIL_SMS_GATEWAY_TOKEN", "")
DUKCAPIL_SMS_GATEWAY_FORMAT = os.environ.get("DUKCAPIL_SMS_GATEWAY_FORMAT", "json")
DUKCAPIL_SMS_GATEWAY_TEMPLATE = os.environ.get(
    "DUKCAPIL_SMS_GATEWAY_TEMPLATE", '{"to": "{phone}", "message": "{body}"}'
)
DUKCAPIL_SMS_GATEWAY_TIMEOUT = float(os.environ.get("DUKCAPIL_SMS_GATEWAY_TIMEOUT", 10))
# Seconds to wait before each retry of a failed message; after the last it is given up
# ("gagal") until a Kepala Seksi re-queues it. The worker looks for due messages this often.
DUKCAPIL_OUTBOX_BACKOFF_SECONDS = [
    int(s) for s in os.environ.get("DUKCAPIL_OUTBOX_BACKOFF_SECONDS", "60,300,1800,7200").split(",")
]
DUKCAPIL_OUTBOX_POLL_SECONDS = int(os.environ.get("DUKCAPIL_OUTBOX_POLL_SECONDS", 30))
# registry.services.notifications: the reminder to collect a card goes out once, this many
# days after printing.
DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS = int(os.environ.get("DUKCAPIL_NOTIFY_UNCOLLECTED_DAYS", 14))

# The resident's public pages (registry.public). /cek-ktp/: lookups allowed per address per
# minute and per NIK per day (counted in the configured cache), and the key of the HMAC that
# stands for the NIK in the lookup log (empty: SECRET_KEY). /siap-diambil/: the masked list
# of cards ready to collect per kelurahan, which the office may switch off (then 404).
DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE = int(os.environ.get("DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE", 10))
DUKCAPIL_LOOKUPS_PER_NIK_DAY = int(os.environ.get("DUKCAPIL_LOOKUPS_PER_NIK_DAY", 5))
DUKCAPIL_LOOKUP_HASH_KEY = os.environ.get("DUKCAPIL_LOOKUP_HASH_KEY", "")
DUKCAPIL_PUBLIC_READY_LIST = _env_flag("DUKCAPIL_PUBLIC_READY_LIST", True)
