"""A second factor (TOTP, django-otp) for the accounts that hold the keys to the register.

Kepala Seksi, Administrator and superusers confirm each session with a code from an
authenticator app, or with a one-time backup code, before any admin page opens. The first
time, they link an app by scanning the QR code (or typing the key) and confirming one code.
"""

from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dukcapil.audit import audit_record
from dukcapil.models import AuditAction
from dukcapil.roles import ADMINISTRATOR, SUPERVISOR

OTP_ROLES = (SUPERVISOR, ADMINISTRATOR)
BACKUP_CODE_COUNT = 10
# Pages a signed-in user reaches before the second factor: these two, and signing out.
OPEN_VIEWS = {"admin:logout", "two_factor_verify", "two_factor_setup"}


def otp_required(user) -> bool:
    if not settings.DUKCAPIL_OTP_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=OTP_ROLES).exists()


def two_factor_gate(view):
    """Wrap an admin view: an account that needs a second factor proves it first."""

    @wraps(view)
    def gated(request, *args, **kwargs):
        user = request.user
        if (
            request.resolver_match.view_name not in OPEN_VIEWS
            and otp_required(user)
            and not user.is_verified()
        ):
            step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            return _redirect(step, next_url=request.get_full_path())
        return view(request, *args, **kwargs)

    return gated


# Devices.


def totp_device_create(*, user, confirmed: bool) -> TOTPDevice:
    """A new authenticator key; an unconfirmed one replaces any earlier unconfirmed key."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Aplikasi autentikator", confirmed=confirmed)


def backup_codes_issue(*, user, count: int = BACKUP_CODE_COUNT) -> list[str]:
    """Fresh one-time codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Kode cadangan"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(count)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def authenticator_key(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _token_check(*, request, devices, token: str):
    """The device that accepts ``token``; the session is then verified. Failures are logged."""
    with transaction.atomic():
        device = next((d for d in devices if d.verify_token(token)), None)
    if device is None:
        audit_record(
            actor=request.user,
            action=AuditAction.LOGIN_FAILED,
            obj=request.user,
            detail={"factor": "otp"},
            request=request,
        )
        return None
    otp_login(request, device)
    audit_record(
        actor=request.user,
        action=AuditAction.LOGIN,
        obj=request.user,
        detail={"factor": "otp", "device": type(device).__name__},
        request=request,
    )
    return device


# Pages.


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Kode",
        max_length=16,
        help_text="Enam angka dari aplikasi autentikator, atau satu kode cadangan.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split()).lower()


WRONG_CODE = "Kode salah atau sudah dipakai. Periksa jam ponsel Anda lalu coba lagi."


def verify_view(request):
    if not user_has_device(request.user):
        return _redirect("two_factor_setup", next_url=request.GET.get("next", ""))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        devices = devices_for_user(request.user, for_verify=True)
        if _token_check(request=request, devices=devices, token=form.cleaned_data["token"]):
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", WRONG_CODE)
    return _page(request, "two_factor/verify.html", "Verifikasi dua langkah", form=form)


def setup_view(request):
    user = request.user
    if not otp_required(user):  # nothing to link: no key is made for an account without need
        return HttpResponseRedirect(_next_url(request))
    # A linked app is changed by a superuser only, never by whoever knows the password.
    if user_has_device(user):
        return _redirect("two_factor_verify", next_url=request.GET.get("next", ""))
    form = TokenForm(request.POST or None)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = totp_device_create(user=user, confirmed=False)
    if form.is_valid():
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk)
        if _token_check(request=request, devices=locked, token=form.cleaned_data["token"]):
            codes = _setup_finish(request, device)
            return _page(
                request,
                "two_factor/backup_codes.html",
                "Kode cadangan",
                codes=codes,
                next_url=_next_url(request),
            )
        form.add_error("token", WRONG_CODE)
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return _page(
        request,
        "two_factor/setup.html",
        "Aktifkan verifikasi dua langkah",
        form=form,
        key=authenticator_key(device),
        qr=mark_safe(qr),  # segno's own SVG markup, built from our key
    )


@transaction.atomic
def _setup_finish(request, device: TOTPDevice) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=request.user,
        action=AuditAction.USER_CHANGE,
        obj=request.user,
        detail={"fields": ["otp_device"]},
        request=request,
    )
    return backup_codes_issue(user=request.user)


def _page(request, template: str, title: str, **context):
    context.update(admin.site.each_context(request), title=title)
    context["next"] = request.GET.get("next", "")
    return render(request, template, context)


def _next_url(request) -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("admin:index")


def _redirect(step: str, *, next_url: str) -> HttpResponseRedirect:
    url = reverse(step)
    return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
