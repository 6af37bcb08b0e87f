import importlib
import importlib.util
from functools import cache, wraps

from django.apps import apps
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.exceptions import DisallowedModelAdminLookup, DisallowedModelAdminToField
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


class ReadOnlyHistory:
    """Past versions are shown, never saved back.

    django-simple-history's revert form saves a past version with a view permission alone and
    past every service rule; a change goes through the change form and its service instead.
    """

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _guarded(admin_class: type[ModelAdmin]) -> type[ModelAdmin]:
    # Imported here: INSTALLED_APPS names this module, which loads before any model may.
    from simple_history.admin import SimpleHistoryAdmin

    from dukcapil.privacy import DeclaredLookupsOnly

    bases = [] if issubclass(admin_class, DeclaredLookupsOnly) else [DeclaredLookupsOnly]
    if issubclass(admin_class, SimpleHistoryAdmin) and not issubclass(admin_class, ReadOnlyHistory):
        bases.append(ReadOnlyHistory)
    if not bases:
        return admin_class
    attrs = {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__}
    return type(admin_class.__name__, (*bases, admin_class), attrs)


@cache
def _app_homes() -> list:
    """Each installed app's ``<app>.dashboard.home``, where it has one."""
    names = [f"{app_config.name}.dashboard" for app_config in apps.get_app_configs()]
    modules = [importlib.import_module(n) for n in names if importlib.util.find_spec(n)]
    return [module.home for module in modules if hasattr(module, "home")]


class DukcapilAdminSite(AdminSite):
    site_header = "Dinas Kependudukan dan Catatan Sipil Kota Kupang"
    site_title = "Dukcapil Kota Kupang"
    index_title = "Sistem Pencatatan KTP-el"

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every admin, Django's own and each app's, keeps the privacy and history rules
        # without having to remember them.
        super().register(model_or_iterable, _guarded(admin_class or ModelAdmin), **options)

    def admin_view(self, view, cacheable=False):
        from dukcapil.privacy import RefusedLookup  # see _guarded

        @wraps(view)
        def refusing_bad_queries(request, *args, **kwargs):
            if any("\x00" in value for values in request.GET.lists() for value in values[1]):
                return self.bad_request(request, "Alamat halaman berisi karakter yang tidak sah.")
            try:
                return view(request, *args, **kwargs)
            except RefusedLookup as exc:
                names = ", ".join(f"“{name}”" for name in exc.names)
                return self.bad_request(
                    request,
                    f"Daftar ini tidak dapat disaring dengan {names}. Gunakan penyaring yang "
                    "tersedia di samping daftar.",
                )
            except (DisallowedModelAdminLookup, DisallowedModelAdminToField):
                return self.bad_request(
                    request, "Penyaringan atau pencarian ini tidak diizinkan untuk peran Anda."
                )

        # Imported here: this module loads with the app registry, before the OTP models exist.
        from dukcapil.two_factor import two_factor_gate

        return super().admin_view(two_factor_gate(refusing_bad_queries), cacheable)

    def index(self, request, extra_context=None):
        """The home page an app offers this user, else Django's own.

        An app offers one as ``home(site, request, extra_context)`` in its ``dashboard``
        module, answering None for users it has nothing for; the apps are asked in
        INSTALLED_APPS order, found as dukcapil.roles finds their roles, and none is imported
        by name here.
        """
        for home in _app_homes():
            response = home(self, request, extra_context)
            if response is not None:
                return response
        return super().index(request, extra_context)

    def password_change(self, request, extra_context=None):
        response = super().password_change(request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            from dukcapil.accounts import own_password_changed  # see _guarded

            own_password_changed(user=request.user, request=request)
        return response

    def bad_request(self, request, message: str) -> TemplateResponse:
        context = {**self.each_context(request), "title": "Permintaan ditolak", "message": message}
        return TemplateResponse(request, "admin/bad_request.html", context, status=400)

    def autocomplete_view(self, request):
        # Django answers for any relation of any model: every searchable admin became an oracle
        # ("whose NIK is this?"). Only the fields an admin offers as autocomplete are answered.
        asked = (
            request.GET.get("app_label", ""),
            request.GET.get("model_name", "").lower(),
            request.GET.get("field_name", ""),
        )
        if asked not in self._autocomplete_fields(request):
            raise PermissionDenied
        return super().autocomplete_view(request)

    def _autocomplete_fields(self, request) -> set[tuple[str, str, str]]:
        declared = set()
        for model, model_admin in self._registry.items():
            sources = [(model, model_admin.get_autocomplete_fields(request))]
            sources += [(i.model, i.autocomplete_fields) for i in model_admin.inlines]
            for source, fields in sources:
                opts = source._meta
                declared.update((opts.app_label, opts.model_name, field) for field in fields)
        return declared


class DukcapilAdminConfig(AdminConfig):
    default_site = "dukcapil.admin_site.DukcapilAdminSite"
