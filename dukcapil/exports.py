"""Streaming spreadsheet responses, shared by every admin export, each one audited."""

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction
from dukcapil.sheet_writer import stream_csv, stream_xlsx

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# A supervisor may export after a NIK/No. KK search or a birth-date filter; the audit log
# keeps what the mask shows (the region digits) and no more.
_LONG_NUMBER = re.compile(r"(\d{6})(\d+)")


def spreadsheet_response(
    *,
    request,
    report: str,
    fmt: str,
    name: str,
    headers: list[str],
    rows: Iterable[Sequence],
    print_landscape: bool = False,
) -> StreamingHttpResponse:
    """Stream rows as XLSX or CSV in constant memory; ``name`` gets a timestamp and extension.

    When the stream ends (or the download is broken off), the audit log records who exported
    which ``report``, with which filters (the query string) and how many rows went out.
    """
    counted = _Counted(rows)
    if fmt == "xlsx":
        chunks = stream_xlsx(headers, counted, print_landscape=print_landscape)
    else:
        chunks = stream_csv(headers, counted)
    audited = _audited(chunks, counted, request=request, report=report, fmt=fmt)
    response = StreamingHttpResponse(audited, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


class _Counted:
    def __init__(self, rows: Iterable[Sequence]):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _audited(chunks: Iterator[bytes], counted: _Counted, *, request, report, fmt):
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        audit_record(
            actor=request.user,
            action=AuditAction.EXPORT,
            object_repr=report,
            detail={
                "report": report,
                "format": fmt,
                "filters": _filters(request),
                "rows": counted.count,
                "complete": complete,
            },
            request=request,
        )


def _filters(request) -> dict[str, list[str]]:
    return {
        key: ["***" if "birth" in key else _LONG_NUMBER.sub(_mask, value) for value in values]
        for key, values in request.GET.lists()
    }


def _mask(match: re.Match) -> str:
    return match[1] + "*" * len(match[2])


def admin_export(permission: str = "export"):
    """Decorate a ModelAdmin view ``(self, request, fmt)`` that answers with a spreadsheet.

    Before any row is read it refuses a user the admin's ``has_<permission>_permission`` denies
    (403) and a format other than XLSX or CSV (404).
    """

    def decorate(view):
        @wraps(view)
        def checked(model_admin, request, fmt: str, *args, **kwargs):
            if not getattr(model_admin, f"has_{permission}_permission")(request):
                raise PermissionDenied
            if fmt not in CONTENT_TYPES:
                raise Http404
            return view(model_admin, request, fmt, *args, **kwargs)

        return checked

    return decorate
