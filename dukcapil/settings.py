"""Settings for the Dukcapil Kota Kupang e-KTP records system, read from the environment.

DATABASE_URL   database (default: SQLite file var/dukcapil.sqlite3)
SECRET_KEY     signing key (default: generated once into var/secret_key)
DEBUG          "1"/"true" to enable debug pages (default: off)
ALLOWED_HOSTS  comma-separated host names (default: localhost, 127.0.0.1)
"""

import os
import secrets
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
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'dukcapil.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
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
SESSION_COOKIE_AGE = 12 * 60 * 60  # one shift and a margin
LOGIN_URL = "admin:login"

# Spreadsheet uploads (imports). Files above these limits are refused before parsing.
DUKCAPIL_UPLOAD_MAX_BYTES = int(os.environ.get("DUKCAPIL_UPLOAD_MAX_BYTES", 25 * 1024 * 1024))
DUKCAPIL_XLSX_MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
DUKCAPIL_XLSX_MAX_RATIO = 200
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Handover policy. "refuse": only the resident collects the card (the default, anti-calo).
# "family": a family member on the same Kartu Keluarga may collect with the original KTP-el.
DUKCAPIL_HANDOVER_PROXY_POLICY = os.environ.get("DUKCAPIL_HANDOVER_PROXY_POLICY", "refuse")
# A suket is refused while any blank is in stock: print the card instead.
DUKCAPIL_SUKET_REFUSED_WHILE_STOCK = _env_flag("DUKCAPIL_SUKET_REFUSED_WHILE_STOCK", True)

# The stock app asks the registry, by this path and never by import, how many old cards were
# taken back at handover and not yet destroyed: the next destruction record starts from it.
DUKCAPIL_OLD_CARDS_AWAITING_DESTRUCTION = (
    "registry.selectors.applications.old_cards_awaiting_destruction"
)

# Import and export each need their own permission ("registry.import_resident" etc.);
# without these settings any staff user could import into or export any model.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
