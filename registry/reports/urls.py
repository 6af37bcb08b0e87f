"""/admin/laporan/: the report pages, each behind the admin's sign-in and second factor."""

from django.contrib import admin
from django.urls import path

from registry.reports import views

app_name = "reports"

urlpatterns = [
    path("", admin.site.admin_view(views.index), name="index"),
    path("bulanan.xlsx", admin.site.admin_view(views.monthly_download), name="monthly"),
    path("<slug:slug>/", admin.site.admin_view(views.report_page), name="report"),
    path(
        "<slug:slug>/unduh.<str:fmt>",
        admin.site.admin_view(views.report_download),
        name="download",
    ),
]
