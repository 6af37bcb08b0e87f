from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig


class DukcapilAdminSite(AdminSite):
    site_header = "Dinas Kependudukan dan Catatan Sipil Kota Kupang"
    site_title = "Dukcapil Kota Kupang"
    index_title = "Sistem Pencatatan KTP-el"


class DukcapilAdminConfig(AdminConfig):
    default_site = "dukcapil.admin_site.DukcapilAdminSite"
