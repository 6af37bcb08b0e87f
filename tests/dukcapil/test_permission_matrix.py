"""Every URL of the site, every admin action and every data-changing POST, asked by every role.

The table is tests/dukcapil/permission_matrix.py; the records it points at are built once for
the module (tests/dukcapil/matrix_world.py) and every test runs in its own savepoint, so a
POST that gets through is undone before the next one. The second factor is on, as in
production: Kepala Seksi and Administrator ask from sessions verified with their app.
"""

import logging
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.messages import WARNING
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.db.models import Model
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from dukcapil.two_factor import otp_required
from dukcapil.uploads import private_path, private_save
from registry.resources import REJECTED_SUFFIX
from tests.dukcapil.matrix_world import ANONYMOUS, ROLES, world_build
from tests.dukcapil.permission_matrix import ACTIONS, GETS, WRITES

SECOND_FACTOR_PAGES = ("two_factor_verify", "two_factor_setup")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    # Every refused request would log its traceback: thousands of them.
    request_log = logging.getLogger("django.request")
    level, request_log.level = request_log.level, logging.CRITICAL
    with (
        override_settings(DUKCAPIL_OTP_REQUIRED=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        w = world_build()
        w["sessions"] = {}
        for role, user in w["people"].items():
            client = Client()
            client.force_login(user)
            if otp_required(user):
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = user.totpdevice_set.get().persistent_id
                session.save()
            w["sessions"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        # The supervisor's rejected rows of an import: private to the supervisor.
        owner = w["supervisor"]
        token = private_save(owner=owner, chunks=[b"baris ditolak"], suffix=REJECTED_SUFFIX)
        w["rejected_token"] = token
        yield w
        private_path(owner=owner, token=token, suffix=REJECTED_SUFFIX).unlink(missing_ok=True)
        transaction.set_rollback(True)
    request_log.level = level


@pytest.fixture
def db(world):
    """pytest-django's ``db`` for this module: a savepoint inside the module's transaction.

    Named ``db`` so that pytest-django still creates the test database, but without building
    a TestCase for each of the thousands of requests. Whatever a request changes is undone.
    """
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _value(world: dict, name):
    value = world.get(name, name) if isinstance(name, str) else name
    return value.pk if isinstance(value, Model) else value


def _fill(world: dict, text: str, role: str) -> str:
    """``{name}`` is a record's key (or a value) of the world; ``{me}`` the asking user's key."""
    me = world["people"][role].pk if role != ANONYMOUS else 0
    return text.format_map({name: _value(world, name) for name in world} | {"me": me})


def _url(world: dict, check, role: str) -> str:
    if check.url:
        path = _fill(world, check.url, role)
    else:
        path = reverse(check.pattern, args=[_value(world, a) for a in check.args])
    return f"{path}?{_fill(world, check.query, role)}" if check.query else path


def _data(world: dict, check, role: str) -> dict:
    data = {}
    if getattr(check, "form_of", ""):
        fields = model_to_dict(world[check.form_of])
        data = {k: v for k, v in fields.items() if v is not None and not isinstance(v, list)}
    data |= getattr(check, "data", {})
    return {k: _fill(world, v, role) if isinstance(v, str) else v for k, v in data.items()}


def _client(world: dict, role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def _ask(world: dict, check, role: str):
    client = _client(world, role)
    url = _url(world, check, role)
    if check.method == "post":
        response = client.post(url, _data(world, check, role))
    else:
        response = client.get(url)
    if response.streaming:
        # Read to the end, which closes the response the way the test client expects (closing
        # it by hand would close the database connection of the module's transaction).
        b"".join(response.streaming_content)
    return url, response


def _outcome(url: str, response) -> str:
    """The answer as "allowed", "forbidden", or its status when it is neither (a 500).

    Forbidden is 403, 404, the login page, the second-factor pages (unless moving between
    them), or the admin's "does not exist" — back to the index with a warning — for a record
    hidden from the role's list.
    """
    status = response.status_code
    if status in (403, 404):
        return "forbidden"
    if status in (301, 302):
        where = urlsplit(response["Location"]).path
        if where == reverse("admin:login"):
            return "forbidden"
        second_factor = {reverse(name) for name in SECOND_FACTOR_PAGES}
        if where in second_factor and urlsplit(url).path not in second_factor:
            return "forbidden"
        if where == reverse("admin:index") and _warned(response):
            return "forbidden"
        return "allowed"
    return "allowed" if 200 <= status < 300 else f"HTTP {status}"


def _messages(response) -> list:
    cookie = response.cookies.get(CookieStorage.cookie_name)
    return (CookieStorage(HttpRequest())._decode(cookie.value) if cookie else None) or []


def _warned(response) -> bool:
    return any(message.level == WARNING for message in _messages(response))


def _cases(entries):
    for entry in entries:
        for role in ROLES:
            marks = []
            if role in entry.hole_for:
                marks = [pytest.mark.xfail(strict=True, reason=entry.hole)]
            yield pytest.param(entry, role, id=f"{entry.id}-{role}", marks=marks)


def _snapshot(world: dict, watch: tuple[str, ...]) -> list:
    state = []
    for name in watch:
        if "." in name:
            state.append(apps.get_model(name)._base_manager.count())
        else:
            obj = world[name]
            state.append(list(type(obj)._base_manager.filter(pk=obj.pk).values()))
    return state


def _patterns(resolver=None, prefix: str = "", namespace: str = "") -> set[str]:
    """Every URL pattern of the site: its name (with namespace), or its route if unnamed."""
    found = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            found |= _patterns(pattern, route, inner)
        elif pattern.name:
            found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
        else:
            found.add(route)
    return found


def test_it_has_an_entry_for_every_url_of_the_site_and_none_for_a_removed_one():
    listed = {c.pattern for c in [*GETS, *WRITES]}
    patterns = _patterns()
    missing, gone = sorted(patterns - listed), sorted(listed - patterns)
    assert not missing, f"URL tanpa baris di matriks izin: {missing}"
    assert not gone, f"baris matriks untuk URL yang sudah tidak ada: {gone}"


def test_it_has_an_entry_for_every_admin_action():
    site_actions = {
        f"{model._meta.label_lower}:{name}"
        for model, model_admin in admin.site._registry.items()
        for _func, name, _description in model_admin._get_base_actions()
    }
    listed = {a.id for a in ACTIONS}
    missing, gone = sorted(site_actions - listed), sorted(listed - site_actions)
    assert not missing, f"aksi admin tanpa baris di matriks izin: {missing}"
    assert not gone, f"baris matriks untuk aksi yang sudah tidak ada: {gone}"


@pytest.mark.parametrize(("check", "role"), list(_cases(GETS)))
def test_it_opens_a_page_only_to_the_roles_the_matrix_allows(db, world, check, role):
    url, response = _ask(world, check, role)
    expected = "allowed" if role in check.allowed else "forbidden"
    assert _outcome(url, response) == expected, f"{role} {check.method.upper()} {url}"


@pytest.mark.parametrize(("write", "role"), list(_cases(WRITES)))
def test_it_changes_nothing_when_a_role_not_allowed_posts(db, world, write, role):
    before = _snapshot(world, write.watch)
    url, response = _ask(world, write, role)
    outcome = _outcome(url, response)
    if role in write.allowed:
        assert outcome == "allowed", f"{role} POST {url}"
        return
    expected = "allowed" if role in write.refused_in_page else "forbidden"
    assert outcome == expected, f"{role} POST {url}"
    assert _snapshot(world, write.watch) == before, f"{role} POST {url} mengubah data"


def _action_ran(world: dict, action, response) -> bool:
    obj = world[action.target]
    row = type(obj)._base_manager.filter(pk=obj.pk)
    if action.effect == "deleted":
        return not row.exists()
    if action.effect == "approved":
        return row.filter(approved_by__isnull=False).exists()
    if action.effect.startswith("message:"):
        return any(action.effect.removeprefix("message:") in str(m) for m in _messages(response))
    target = reverse(action.effect.removeprefix("redirect:"))
    return response.status_code == 302 and urlsplit(response["Location"]).path == target


@pytest.mark.parametrize(("action", "role"), list(_cases(ACTIONS)))
def test_it_runs_an_admin_action_only_for_the_roles_the_matrix_allows(db, world, action, role):
    client = _client(world, role)
    app_label, model_name = action.model.split(".")
    obj = world[action.target]
    data = {"action": action.action, "_selected_action": [obj.pk], "index": "0", "post": "yes"}
    response = client.post(reverse(f"admin:{app_label}_{model_name}_changelist"), data)
    assert response.status_code < 500
    assert _action_ran(world, action, response) == (role in action.allowed), role
