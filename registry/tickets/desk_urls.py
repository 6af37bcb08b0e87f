"""/admin/antrean/: the clerks' queue pages, behind the admin's sign-in and second factor."""

from django.contrib import admin
from django.urls import path

from registry.tickets import views

urlpatterns = [
    path("", admin.site.admin_view(views.desks), name="ticket_desks"),
    path("loket/<int:number>/", admin.site.admin_view(views.desk), name="ticket_desk"),
]
