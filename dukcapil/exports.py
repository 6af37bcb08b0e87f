"""Streaming spreadsheet responses, shared by every admin export."""

from collections.abc import Iterable, Sequence

from django.http import StreamingHttpResponse
from django.utils import timezone

from dukcapil.spreadsheets import stream_csv, stream_xlsx

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def spreadsheet_response(
    *,
    fmt: str,
    name: str,
    headers: list[str],
    rows: Iterable[Sequence],
    print_landscape: bool = False,
) -> StreamingHttpResponse:
    """Stream rows as XLSX or CSV in constant memory; ``name`` gets a timestamp and extension."""
    if fmt == "xlsx":
        chunks = stream_xlsx(headers, rows, print_landscape=print_landscape)
    else:
        chunks = stream_csv(headers, rows)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
