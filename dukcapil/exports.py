"""Streaming spreadsheet responses, shared by every admin export, each one audited."""

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import wraps
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict, StreamingHttpResponse
from django.utils import timezone

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction
from dukcapil.sheet_writer import Sheet, stream_csv, stream_workbook

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
    sheet = Sheet("Data", headers, rows, print_landscape)
    return workbook_response(request=request, report=report, name=name, sheets=[sheet], fmt=fmt)


def workbook_response(
    *, request, report: str, name: str, sheets: Sequence[Sheet], fmt: str = "xlsx"
) -> StreamingHttpResponse:
    """Several sheets in one XLSX download (a CSV holds one), streamed and audited once."""
    chunks, written = _stream(fmt, sheets)
    audited = _audited(
        chunks,
        written,
        actor=request.user,
        detail={"report": report, "format": fmt, "filters": _filters(request.GET)},
        request=request,
    )
    response = StreamingHttpResponse(audited, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def spreadsheet_file(
    *, actor, report: str, fmt: str, path: Path, sheets: Sequence[Sheet], filters: QueryDict
) -> int:
    """Write an export to a file (for a command), audited like a download; the rows written.

    An ``OSError`` of the file goes to the caller, after the audit log noted the broken export.
    """
    chunks, written = _stream(fmt, sheets)
    detail = {"report": report, "format": fmt, "filters": _filters(filters), "file": path.name}
    with path.open("wb") as file:
        for chunk in _audited(chunks, written, actor=actor, detail=detail):
            file.write(chunk)
    return written()


def _stream(fmt: str, sheets: Sequence[Sheet]) -> tuple[Iterator[bytes], Callable[[], int]]:
    """The file's chunks, and how many rows they have held so far."""
    if fmt == "csv":
        (sheet,) = sheets
        counted = _Counted(sheet.rows)
        return stream_csv(sheet.headers, counted), lambda: counted.count
    return stream_workbook(sheets), lambda: sum(sheet.written for sheet in sheets)


class _Counted:
    def __init__(self, rows: Iterable[Sequence]):
        self.rows = rows
        self.count = 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def _audited(chunks: Iterator[bytes], written: Callable[[], int], *, actor, detail, request=None):
    complete = False
    try:
        yield from chunks
        complete = True
    finally:
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_repr=detail["report"],
            detail={**detail, "rows": written(), "complete": complete},
            request=request,
        )


def _filters(query: QueryDict) -> dict[str, list[str]]:
    return {
        key: ["***" if "birth" in key else _LONG_NUMBER.sub(_mask, value) for value in values]
        for key, values in query.lists()
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
