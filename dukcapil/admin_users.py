"""Account and role pages. The rules live in dukcapil.accounts; these pages only apply them."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from dukcapil.accounts import (
    assignable_groups,
    group_save,
    may_manage,
    user_password_set,
    user_save,
)

admin.site.unregister(User)
admin.site.unregister(Group)

# Superuser status is granted on the command line only, so nobody edits it here.
NEVER_EDITED = ["is_superuser", "last_login", "date_joined"]
HIDDEN_FROM_NON_SUPERUSERS = {"is_superuser", "user_permissions"}


@admin.register(User)
class AccountAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "is_active", "is_staff")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in HIDDEN_FROM_NON_SUPERUSERS],
                },
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return NEVER_EDITED if obj is not None else []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            kwargs["queryset"] = assignable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (
            obj is None or may_manage(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (
            obj is None or may_manage(request.user, obj)
        )

    def save_model(self, request, obj, form, change):
        user_save(
            actor=request.user,
            user=obj,
            groups=form.cleaned_data.get("groups"),
            permissions=form.cleaned_data.get("user_permissions"),
            request=request,
        )

    def save_related(self, request, form, formsets, change):
        """Nothing left to save: user_save set the groups and permissions it checked."""

    def user_change_password(self, request, id, form_url=""):
        # Django's view saves the form itself; a valid new password goes through the service
        # instead, which checks the policy again and writes the audit entry. Refusals, the
        # form page and its errors stay Django's.
        user = self.get_object(request, unquote(id))
        if request.method == "POST" and user and self.has_change_permission(request, user):
            form = self.change_password_form(user, request.POST)
            if form.is_valid():
                usable = form.cleaned_data["set_usable_password"]
                if usable or "unset-password" in request.POST:
                    password = form.cleaned_data["password1"] if usable else None
                    user_password_set(
                        actor=request.user, user=user, password=password, request=request
                    )
                    update_session_auth_hash(request, user)
                    text = "Kata sandi diubah." if usable else "Masuk dengan kata sandi dimatikan."
                    self.message_user(request, text, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().user_change_password(request, id, form_url)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles are set by migrations (dukcapil.roles); only a superuser changes them here."""

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        group_save(
            actor=request.user,
            group=obj,
            permissions=form.cleaned_data["permissions"],
            request=request,
        )

    def save_related(self, request, form, formsets, change):
        """Nothing left to save: group_save set the permissions and recorded them."""


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked account or address (AXES_LOCKOUT_CALLABLE)."""
    context = {
        **admin.site.each_context(request),
        "title": "Akun dikunci",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    # Rendered now: the answer replaces the login page inside the middleware chain.
    return render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
