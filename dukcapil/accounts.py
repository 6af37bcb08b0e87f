"""Staff accounts: who may change which account, and the audit of every change and login.

Separation of duties: the Administrator manages clerks' accounts only. Accounts of the
Kepala Seksi, of Administrators and of superusers are changed by a superuser, and superusers
themselves are made only on the command line (``createsuperuser``), never through the web.
"""

from collections.abc import Iterable

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction
from dukcapil.roles import ADMINISTRATOR, SUPERVISOR

SYSTEM_USERNAME = "sistem"
# Holding one of these is power over the register or over accounts.
PROTECTED_ROLES = (SUPERVISOR, ADMINISTRATOR)
# Fields whose change is named in the audit log (the password by name only, never its hash).
AUDITED_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "password",
)

REFUSED_ACCOUNT = (
    "Akun Kepala Seksi, Administrator dan superuser (juga akun Anda sendiri) hanya dapat "
    "diubah oleh superuser."
)
REFUSED_ROLE = "Peran Kepala Seksi dan Administrator hanya dapat diberikan oleh superuser."
REFUSED_PERMISSIONS = "Hak akses perorangan hanya dapat diubah oleh superuser."
REFUSED_SUPERUSER = "Superuser hanya dibuat dari baris perintah (createsuperuser)."


def system_user() -> AbstractBaseUser:
    """An inactive account that cannot log in, so every change still names a user."""
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"is_active": False, "first_name": "Sistem"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def is_protected(user: AbstractBaseUser) -> bool:
    return user.is_superuser or user.groups.filter(name__in=PROTECTED_ROLES).exists()


def may_manage(actor: AbstractBaseUser, target: AbstractBaseUser | None = None) -> bool:
    """May ``actor`` change ``target``'s account (or accounts in general, without a target)?"""
    if not actor.is_active or not actor.has_perm("auth.change_user"):
        return False
    if actor.is_superuser or target is None:
        return True
    return target.pk != actor.pk and not is_protected(target)


def assignable_groups(actor: AbstractBaseUser):
    groups = Group.objects.order_by("name")
    return groups if actor.is_superuser else groups.exclude(name__in=PROTECTED_ROLES)


def user_save(
    *,
    actor: AbstractBaseUser,
    user: AbstractBaseUser,
    groups: Iterable[Group] | None = None,
    permissions: Iterable[Permission] | None = None,
    request=None,
) -> AbstractBaseUser:
    """Create or change an account; ``None`` leaves groups or permissions as they are."""
    model = get_user_model()
    with transaction.atomic():
        stored = (
            model.objects.select_for_update().filter(pk=user.pk).first()
            if user.pk is not None
            else None
        )
        if stored is None and not actor.has_perm("auth.add_user"):
            raise PermissionDenied(REFUSED_ACCOUNT)
        if not may_manage(actor, stored):
            raise PermissionDenied(REFUSED_ACCOUNT)
        if user.is_superuser != (stored.is_superuser if stored else False):
            raise PermissionDenied(REFUSED_SUPERUSER)
        added, removed = _group_change(actor, stored, groups)
        permissions_changed = _permissions_change(actor, stored, permissions)
        fields = [
            name
            for name in AUDITED_FIELDS
            if stored is None or getattr(stored, name) != getattr(user, name)
        ]
        user.save()
        if groups is not None:
            user.groups.set(groups)
        if permissions_changed:
            user.user_permissions.set(permissions)
            fields.append("user_permissions")
        if stored is None or fields:
            detail = {"created": stored is None, "fields": fields}
            if "is_active" in fields:
                detail["active"] = user.is_active
            audit_record(
                actor=actor,
                action=AuditAction.USER_CHANGE,
                obj=user,
                detail=detail,
                request=request,
            )
        if added or removed:
            audit_record(
                actor=actor,
                action=AuditAction.GROUP_CHANGE,
                obj=user,
                detail={"added": added, "removed": removed},
                request=request,
            )
    return user


def _group_change(actor, stored, groups) -> tuple[list[str], list[str]]:
    if groups is None:
        return [], []
    before = set(stored.groups.values_list("name", flat=True)) if stored else set()
    after = {group.name for group in groups}
    added, removed = sorted(after - before), sorted(before - after)
    if not actor.is_superuser and set(added + removed) & set(PROTECTED_ROLES):
        raise PermissionDenied(REFUSED_ROLE)
    return added, removed


def _permissions_change(actor, stored, permissions) -> bool:
    if permissions is None:
        return False
    before = set(stored.user_permissions.values_list("pk", flat=True)) if stored else set()
    changed = before != {permission.pk for permission in permissions}
    if changed and not actor.is_superuser:
        raise PermissionDenied(REFUSED_PERMISSIONS)
    return changed


def user_password_set(
    *, actor: AbstractBaseUser, user: AbstractBaseUser, password: str | None, request=None
) -> AbstractBaseUser:
    """Set (or, with ``None``, disable) another account's password. The caller validates it."""
    with transaction.atomic():
        stored = get_user_model().objects.select_for_update().get(pk=user.pk)
        if not may_manage(actor, stored):
            raise PermissionDenied(REFUSED_ACCOUNT)
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action=AuditAction.USER_CHANGE,
            obj=user,
            detail={"fields": ["password"], "usable": password is not None},
            request=request,
        )
    return user


def own_password_changed(*, user: AbstractBaseUser, request=None) -> None:
    """Record a user's change of their own password (Django's view, old password required)."""
    audit_record(
        actor=user,
        action=AuditAction.USER_CHANGE,
        obj=user,
        detail={"fields": ["password"], "own": True},
        request=request,
    )


def group_save(
    *, actor: AbstractBaseUser, group: Group, permissions: Iterable[Permission], request=None
) -> Group:
    """Create or change a role; only superusers do (roles are otherwise set by migrations)."""
    if not actor.is_superuser:
        raise PermissionDenied("Peran hanya dapat diubah oleh superuser.")
    with transaction.atomic():
        stored = Group.objects.select_for_update().filter(pk=group.pk).first() if group.pk else None
        before = set(stored.permissions.values_list("pk", flat=True)) if stored else set()
        after = {permission.pk for permission in permissions}
        fields = [
            name
            for name, changed in (
                ("name", stored is None or stored.name != group.name),
                ("permissions", before != after),
            )
            if changed
        ]
        group.save()
        group.permissions.set(permissions)
        if stored is None or fields:
            audit_record(
                actor=actor,
                action=AuditAction.GROUP_CHANGE,
                obj=group,
                detail={"created": stored is None, "fields": fields},
                request=request,
            )
    return group


# Signing in and out: Django's signals and django-axes' lockout signal.


@receiver(user_logged_in, dispatch_uid="dukcapil_audit_login")
def _audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="dukcapil_audit_logout")
def _audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="dukcapil_audit_login_failed")
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    audit_record(
        actor=_account(username),
        action=AuditAction.LOGIN_FAILED,
        username=username,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="dukcapil_audit_lockout")
def _audit_lockout(sender, request, username, ip_address, **kwargs):
    username = str(username or "")[:150]
    audit_record(
        actor=_account(username),
        action=AuditAction.LOCKOUT,
        username=username,
        request=request,
    )


def _account(username: str) -> AbstractBaseUser | None:
    """The account a typed name belongs to, so its owner's history shows the attempts."""
    return get_user_model().objects.filter(username=username).first() if username else None
