"""The report pages: the index, a report with its filters, and its XLSX/CSV download.

Every view is wrapped in the admin site's ``admin_view`` (urls.py): sign-in and the second
factor apply as on any admin page. A user without the report's permissions gets 403 on the
page and on the download alike, before any row is read.
"""

import datetime as dt
from numbers import Number

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.formats import date_format, number_format

from dukcapil.days import MONTH_FORMAT, month_start, parse_month
from dukcapil.exports import CONTENT_TYPES, spreadsheet_response, workbook_response
from registry.reports.definitions import REPORTS, REPORTS_BY_SLUG, REPORTS_PERMISSION, Report
from registry.reports.monthly import monthly_sheets

PAGE_ROWS = 200
PAGE_PARAMETER = "halaman"


def _report(request, slug: str) -> Report:
    if not request.user.has_perm(REPORTS_PERMISSION):
        raise PermissionDenied
    report = REPORTS_BY_SLUG.get(slug)
    if report is None:
        raise Http404
    if not report.allowed(request.user):
        raise PermissionDenied
    return report


def _allowed(user) -> list[Report]:
    return [report for report in REPORTS if report.allowed(user)]


def _context(request, **extra) -> dict:
    return {**admin.site.each_context(request), **extra}


def index(request):
    if not request.user.has_perm(REPORTS_PERMISSION):
        raise PermissionDenied
    reports = _allowed(request.user)
    this_month = month_start().strftime(MONTH_FORMAT)
    context = _context(request, title="Laporan", reports=reports, this_month=this_month)
    return TemplateResponse(request, "admin/registry/reports/index.html", context)


def cell_text(value) -> str:
    """A cell as the page shows it: Indonesian dates and numbers, a dash for nothing."""
    if value is None or value == "":
        return "—" if value is None else ""
    if isinstance(value, dt.datetime | dt.date):
        return date_format(value, "j F Y H:i" if isinstance(value, dt.datetime) else "j F Y")
    if isinstance(value, float):
        return number_format(value, decimal_pos=1, use_l10n=True, force_grouping=True)
    if isinstance(value, Number):
        return number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _page_context(request, report: Report, found) -> dict:
    return _context(request, title=report.title, report=report, form=found.form)


def _refused(request, report: Report, found) -> TemplateResponse:
    """The page with the filters' errors in Indonesian, and no table."""
    context = _page_context(request, report, found)
    return TemplateResponse(request, "admin/registry/reports/report.html", context, status=400)


def report_page(request, slug: str):
    report = _report(request, slug)
    found = report.filters(request.GET)
    if not found.is_valid():
        return _refused(request, report, found)
    table = report.build(found, request.user)
    if table.records is None:
        rows, page = table.rows, None
    else:
        page = Paginator(table.records, PAGE_ROWS).get_page(request.GET.get(PAGE_PARAMETER))
        rows = map(table.row, page)
    # The downloads repeat the filters as applied, defaults included.
    query = found.data.copy()
    query.pop(PAGE_PARAMETER, None)
    context = {
        **_page_context(request, report, found),
        "headers": table.headers,
        "rows": [[cell_text(value) for value in row] for row in rows],
        "page": page,
        "query": query.urlencode(),
        "formats": list(CONTENT_TYPES),
    }
    return TemplateResponse(request, "admin/registry/reports/report.html", context)


def report_download(request, slug: str, fmt: str):
    report = _report(request, slug)
    if fmt not in CONTENT_TYPES:
        raise Http404
    found = report.filters(request.GET)
    if not found.is_valid():
        return _refused(request, report, found)
    table = report.build(found, request.user)
    return spreadsheet_response(
        request=request,
        report=report.title,
        fmt=fmt,
        name=report.slug,
        headers=list(table.headers),
        rows=table.all_rows(),
    )


def monthly_download(request):
    """The monthly workbook (?bulan=2020-02, this month by default): a sheet per report."""
    if not request.user.has_perm(REPORTS_PERMISSION):
        raise PermissionDenied
    chosen = request.GET.get("bulan") or month_start().strftime(MONTH_FORMAT)
    try:
        month = parse_month(chosen)
    except ValueError:
        return admin.site.bad_request(request, "Tulis bulan sebagai TTTT-BB, misalnya 2020-02.")
    return workbook_response(
        request=request,
        report=f"Laporan bulanan {month:%m/%Y}",
        name=f"laporan-bulanan-{month:%Y-%m}",
        sheets=monthly_sheets(month=month, user=request.user, reports=_allowed(request.user)),
    )
