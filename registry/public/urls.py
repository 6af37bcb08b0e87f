"""/cek-ktp/: the resident's status lookup (public)."""

from django.urls import path

from registry.public import views

urlpatterns = [path("", views.status_lookup_page, name="status_lookup")]
