"""Uploaded spreadsheets and rejected-rows files: private to their uploader, and short-lived.

These files hold whole lists of NIKs (UU PDP 27/2022), so they live outside MEDIA_ROOT in
DUKCAPIL_UPLOAD_DIR, readable only by the service's OS user (directory 0700, files 0600).
A file is named ``<uploader id>-<random token><suffix>``: a request reaches only files named
with its own user's id, so a second clerk who learns a token still finds nothing. Uploads are
deleted when confirmed or cancelled, and everything here after DUKCAPIL_UPLOAD_KEEP_SECONDS
(``manage.py uploads_expire`` on a timer, and whenever a new file is stored).
"""

import os
import re
import secrets
import time
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from import_export.tmp_storages import BaseStorage

from dukcapil.spreadsheets import check_upload_size

UPLOAD_SUFFIX = ".unggahan"
_CLAIMED_SUFFIX = ".diproses"
_TOKEN = re.compile(r"[0-9a-f]{32}")
# Where django-import-export's MediaStorage and the old rejected-rows code left files for ever.
_LEGACY_DIRS = ("django-import-export", "import_ditolak")


class UploadGone(Exception):
    """The upload was confirmed, cancelled or expired already."""


def private_save(*, owner, chunks: Iterable[bytes], suffix: str) -> str:
    """Store ``chunks`` as a file only ``owner`` can reach; return its token."""
    files_expire()
    token = secrets.token_hex(16)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    with open(os.open(_path(owner.pk, token, suffix), flags, 0o600), "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    return token


def private_path(*, owner, token: str, suffix: str) -> Path | None:
    """The file ``owner`` stored under ``token``, or None (someone else's, expired, bogus)."""
    if not _TOKEN.fullmatch(token):
        return None
    path = _path(owner.pk, token, suffix)
    return path if path.is_file() else None


def files_expire(*, now: float | None = None) -> int:
    """Delete every stored file older than DUKCAPIL_UPLOAD_KEEP_SECONDS; return how many."""
    cutoff = (now or time.time()) - settings.DUKCAPIL_UPLOAD_KEEP_SECONDS
    folders = [upload_dir(), *(Path(settings.MEDIA_ROOT) / name for name in _LEGACY_DIRS)]
    deleted = 0
    for folder in folders:
        for path in folder.glob("*") if folder.is_dir() else ():
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    deleted += 1
            except FileNotFoundError:
                pass  # a confirm or another sweep took it first
    return deleted


def upload_dir() -> Path:
    folder = Path(settings.DUKCAPIL_UPLOAD_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # mkdir's mode passes through the umask, and the folder may be older
    return folder


def _path(owner_id, token: str, suffix: str) -> Path:
    return upload_dir() / f"{owner_id}-{token}{suffix}"


def upload_owned_by(name: str, user) -> bool:
    """Whether ``name`` (the confirm form's import_file_name) is an upload of ``user``."""
    owner, _, token = name.partition("-")
    return owner == str(user.pk) and bool(_TOKEN.fullmatch(token))


class UploadStorage(BaseStorage):
    """django-import-export's temporary storage between the preview and the confirm step.

    Saved by SpreadsheetImportMixin with the uploader as ``owner``; the name
    (``<owner id>-<token>``) travels in the confirm form. Reading by name — the confirm step —
    claims the file: it is renamed out of the way first (atomic), read and deleted, so of two
    confirms of one upload (a double click) the second gets UploadGone.
    """

    def __init__(self, *, owner=None, **kwargs):
        super().__init__(**kwargs)
        self.owner = owner
        self._data = None

    def save(self, data: bytes) -> None:
        token = private_save(owner=self.owner, chunks=[data], suffix=UPLOAD_SUFFIX)
        self.name = f"{self.owner.pk}-{token}"
        self._data = data  # the preview reads it straight back

    def read(self) -> bytes:
        if self._data is not None:
            return self._data
        path = self._stored_path()
        claimed = path.with_suffix(_CLAIMED_SUFFIX)
        try:
            path.rename(claimed)
        except FileNotFoundError:
            raise UploadGone from None
        try:
            return claimed.read_bytes()
        finally:
            claimed.unlink(missing_ok=True)

    def remove(self) -> None:
        self._stored_path().unlink(missing_ok=True)

    def _stored_path(self) -> Path:
        owner, _, token = (self.name or "").partition("-")
        if not (owner.isdigit() and _TOKEN.fullmatch(token)):
            raise UploadGone
        return _path(owner, token, UPLOAD_SUFFIX)


class RefusedUpload(UploadedFile):
    """What is left of a file above DUKCAPIL_UPLOAD_MAX_BYTES: its name and size, no bytes.

    Forms refuse it by its size; any code that reads it anyway gets the size refusal.
    """

    def __init__(self, name, content_type, size, charset):
        super().__init__(None, name, content_type, size, charset)

    def read(self, *args, **kwargs):
        check_upload_size(self.size)

    def chunks(self, chunk_size=None):
        check_upload_size(self.size)
        yield from ()

    def open(self, mode=None, *args, **kwargs):
        return self

    def close(self) -> None:
        pass


class SizeLimitUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: the handlers after it (memory, temporary file) get a
    file's bytes only while it stays within DUKCAPIL_UPLOAD_MAX_BYTES, so nothing above the
    limit reaches memory or disk; the rest is only counted, for the refusal message."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        return raw_data if self.received <= settings.DUKCAPIL_UPLOAD_MAX_BYTES else None

    def file_complete(self, file_size):
        if self.received <= settings.DUKCAPIL_UPLOAD_MAX_BYTES:
            return None  # the next handler's file
        return RefusedUpload(self.file_name, self.content_type, self.received, self.charset)
