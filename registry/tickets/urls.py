"""/antrean/: the public queue pages (no sign-in, no personal data)."""

from django.urls import path

from registry.tickets import views

urlpatterns = [
    path("ambil/", views.kiosk, name="ticket_kiosk"),
    path("tiket/<int:pk>/", views.ticket_print, name="ticket_print"),
    path("layar/", views.display, name="ticket_display"),
    path("layar/data.json", views.display_data, name="ticket_display_data"),
]
