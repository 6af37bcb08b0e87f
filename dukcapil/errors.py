"""Error pages in the admin's look and in Indonesian, each with a way back.

A server error shows a short reference that is logged with its traceback, so a clerk who
reads it out over the phone leads straight to the log record.
"""

import secrets
import sys

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.log import log_response


def _branding() -> dict[str, str]:
    # Not the admin's each_context: a refusal raised by a middleware (a foreign host, a CSRF
    # failure) comes before the request has a user, and a server error may have no database.
    return {"site_header": admin.site.site_header, "site_title": admin.site.site_title}


def _page(request: HttpRequest, template: str, status: int, title: str) -> HttpResponse:
    context = {**_branding(), "title": title}
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "400.html", 400, "Permintaan tidak dapat diproses")


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "403.html", 403, "Akses ditolak")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404, "Halaman tidak ditemukan")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, "403_csrf.html", 403, "Formulir kedaluwarsa")


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context processors: whatever broke may be the database or the session.
    reference = secrets.token_hex(3).upper()
    context = {**_branding(), "reference": reference}
    response = HttpResponse(loader.render_to_string("500.html", context), status=500)
    # Logged here, with the reference, in place of Django's own record of the same error.
    log_response(
        "%s: %s (rujukan %s)",
        response.reason_phrase,
        request.path,
        reference,
        response=response,
        request=request,
        exception=sys.exc_info()[1],
    )
    return response
