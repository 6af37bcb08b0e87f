"""/siap-diambil/: cards ready to collect per kelurahan (public, masked)."""

from django.urls import path

from registry.public import views

urlpatterns = [path("", views.ready_list, name="ready_list")]
