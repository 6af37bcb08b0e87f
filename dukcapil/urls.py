from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from dukcapil import two_factor

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
    # Before the admin's own URLs, which end in a catch-all.
    path(
        "admin/dua-langkah/",
        admin.site.admin_view(two_factor.verify_view),
        name="two_factor_verify",
    ),
    path(
        "admin/dua-langkah/aktifkan/",
        admin.site.admin_view(two_factor.setup_view),
        name="two_factor_setup",
    ),
    path("admin/laporan/", include("registry.reports.urls")),
    path("admin/antrean/", include("registry.tickets.desk_urls")),
    path("admin/", admin.site.urls),
    path("stok-blanko/", include("stock.urls")),
    path("cek-ktp/", include("registry.public.urls")),
    path("siap-diambil/", include("registry.public.ready_urls")),
    path("antrean/", include("registry.tickets.urls")),
]

handler400 = "dukcapil.errors.bad_request"
handler403 = "dukcapil.errors.permission_denied"
handler404 = "dukcapil.errors.page_not_found"
handler500 = "dukcapil.errors.server_error"
