"""The permission matrix: every URL of the site × every role → allowed or forbidden.

Read against DESIGN.md §2 ("every role sees only what it needs") and the permission lists in
dukcapil/roles.py, stock/roles.py and shifts/roles.py. A role listed in ``allowed`` must get
2xx or a redirect that is not the login page; every other role must be refused: 403, 404 (the
admin hides what a role may not see), or — for someone not logged in — the login page.

``GETS`` holds the pages (at least one check per URL pattern of the site), ``WRITES`` the POSTs
that would change data, and ``ACTIONS`` the admin list actions. An entry whose expectation the
application does not meet yet carries ``hole``: the entry states what the design requires, and
the test is marked as an expected failure with that reason, so a fixed hole shows up at once.

Arguments name records of tests/dukcapil/matrix_world.py (their primary key is used); any
other value is used as it is.
"""

from dataclasses import dataclass, field

from dukcapil.roles import (
    ADMINISTRATOR as ADM,
)
from dukcapil.roles import (
    BLANKS as BLK,
)
from dukcapil.roles import (
    HANDOVER as HND,
)
from dukcapil.roles import (
    PRINTING as PRT,
)
from dukcapil.roles import (
    RECORDING as REC,
)
from dukcapil.roles import (
    REGISTRATION as REG,
)
from dukcapil.roles import (
    SUPERVISOR as SUP,
)
from tests.dukcapil.matrix_world import ANONYMOUS, NO_ROLE

NOBODY: frozenset[str] = frozenset()
GROUPS = frozenset({REG, REC, PRT, HND, BLK, SUP, ADM})
STAFF = GROUPS | {NO_ROLE}
EVERYONE = STAFF | {ANONYMOUS}

FULL_NIK = frozenset({REG, REC, SUP, ADM})  # registry.view_full_nik
RESIDENTS = frozenset({REG, REC, PRT, HND, SUP, ADM})  # registry.view_resident
APPLICATIONS = frozenset({REG, REC, PRT, HND, SUP})  # registry.view_cardapplication
QUEUE = frozenset({HND, SUP})  # registry.view_collectionqueueentry
STORE = frozenset({BLK, SUP})  # every stock record and its exports


def _set(*roles: str) -> frozenset[str]:
    return frozenset(roles)


@dataclass(frozen=True)
class Check:
    """One request per role: ``pattern`` is the URL name, or the route of an unnamed pattern."""

    pattern: str
    allowed: frozenset[str]
    args: tuple = ()
    query: str = ""
    url: str = ""  # a path template ("/admin/x/{group}/") for patterns without a name
    method: str = "get"
    label: str = ""  # tells apart several checks of one pattern
    hole: str = ""  # a known hole: why the roles in ``hole_for`` still get through
    hole_for: frozenset[str] = NOBODY

    @property
    def id(self) -> str:
        return f"{self.pattern}{f'[{self.label}]' if self.label else ''}"


@dataclass(frozen=True)
class Write(Check):
    """A POST that changes data when allowed; a refused role must leave ``watch`` unchanged:
    a record of the world (its row) or "app_label.Model" (its row count)."""

    method: str = "post"
    data: dict = field(default_factory=dict)
    form_of: str = ""  # start from this record's fields (model_to_dict), then apply ``data``
    watch: tuple[str, ...] = ()
    # Roles that may open the page but not take this step: answered on the page itself (the
    # form with its error, or back to the page with a message), and nothing changes.
    refused_in_page: frozenset[str] = NOBODY


@dataclass(frozen=True)
class Action:
    """An admin list action on one record; ``effect`` names what running it leaves behind."""

    model: str  # "app_label.model_name"
    action: str
    allowed: frozenset[str]
    target: str
    effect: str  # "deleted", "approved", "redirect:<URL name>" or "message:<its text>"
    hole: str = ""
    hole_for: frozenset[str] = NOBODY

    @property
    def id(self) -> str:
        return f"{self.model}:{self.action}"


def _model(
    app: str,
    model: str,
    obj: str,
    *,
    view: frozenset[str],
    add: frozenset[str] = NOBODY,
    change: frozenset[str] | None = None,
    history: frozenset[str] | None = None,
    delete: frozenset[str] = NOBODY,
) -> list[Check]:
    """The six URLs every registered model has. ``change`` is who may open the change page
    (a view-only role sees it read-only); the old ``<id>/`` address redirects any staff."""
    name = f"admin:{app}_{model}"
    return [
        Check(f"{name}_changelist", view),
        Check(f"{name}_add", add),
        Check(f"{name}_history", view if history is None else history, (obj,)),
        Check(f"{name}_delete", delete, (obj,)),
        Check(f"{name}_change", view if change is None else change, (obj,)),
        Check(
            f"admin/{app}/{model}/<path:object_id>/",
            STAFF,
            url=f"/admin/{app}/{model}/{{{obj}}}/",
        ),
    ]


GETS: list[Check] = [
    Check("", EVERYONE, url="/"),
    Check("stock_board", EVERYONE),  # the public blank-stock board: counts only
    # The resident's pages: the status lookup (a GET shows the form, only a POST looks up)
    # and the cards ready to collect in one kelurahan, NIK masked; both without sign-in.
    Check("status_lookup", EVERYONE),
    Check("status_lookup", EVERYONE, query="nik={resident_nik}", label="nik di alamat"),
    Check("ready_list", EVERYONE),
    Check("ready_list", EVERYONE, query="kelurahan=53.71.01.1001", label="kelurahan"),
    # The queue's public pages: numbers, desks and counts, never a NIK.
    Check("ticket_kiosk", EVERYONE),
    Check("ticket_print", EVERYONE, ("queueticket",)),
    Check("ticket_display", EVERYONE),
    Check("ticket_display_data", EVERYONE),
    # The admin site itself.
    Check("admin:index", STAFF),
    Check("admin:login", EVERYONE),
    Check("admin:logout", EVERYONE, method="post"),
    # The second factor: any signed-in staff may link an app; the gate sends between them.
    Check("two_factor_verify", STAFF),
    Check("two_factor_setup", STAFF),
    Check("admin:password_change", STAFF),
    Check("admin:password_change_done", STAFF),
    Check("admin:jsi18n", STAFF),
    Check(
        "admin:autocomplete",
        GROUPS,
        query="app_label=registry&model_name=resident&field_name=village&term=nam",
        label="kelurahan",
    ),
    Check(
        "admin:autocomplete",
        GROUPS,  # every role reads the staff on the rosters
        query="app_label=shifts&model_name=leave&field_name=staff&term=ana",
        label="petugas",
    ),
    Check(
        "admin:autocomplete",
        _set(ADM),
        query="app_label=shifts&model_name=staff&field_name=user&term=sasaran",
        label="akun",
    ),
    # No model has a public page of its own: the shortcut finds nothing to show.
    Check("admin:view_on_site", NOBODY, ("resident_content_type", "resident")),
    Check("admin:app_list", GROUPS, ("registry",), label="registry"),
    Check("admin:app_list", _set(PRT, BLK, SUP, ADM), ("stock",), label="stock"),
    Check("admin:app_list", GROUPS, ("shifts",), label="shifts"),
    Check("admin:app_list", _set(ADM), ("auth",), label="auth"),
    Check("admin:app_list", _set(SUP), ("dukcapil",), label="dukcapil"),
    Check("admin:app_list", NOBODY, ("axes",), label="axes"),
    Check("admin:app_list", NOBODY, ("otp_totp",), label="otp_totp"),
    Check("admin:app_list", NOBODY, ("otp_static",), label="otp_static"),
    Check("admin/(?P<url>.*)$", NOBODY, url="/admin/tidak-ada/"),
    # Sign-in records and second-factor devices: superusers only, from no role.
    *_model("axes", "accessattempt", "accessattempt", view=NOBODY),
    *_model("axes", "accesslog", "accesslog", view=NOBODY),
    *_model("axes", "accessfailurelog", "accessfailurelog", view=NOBODY),
    *_model("otp_totp", "totpdevice", "totpdevice", view=NOBODY),
    Check("admin:otp_totp_totpdevice_config", NOBODY, ("totpdevice",)),
    Check("admin:otp_totp_totpdevice_qrcode", NOBODY, ("totpdevice",)),
    *_model("otp_static", "staticdevice", "staticdevice", view=NOBODY),
    # Accounts and roles: the Administrator manages the clerks' accounts.
    *_model("auth", "group", "group", view=_set(ADM)),
    *_model("auth", "user", "clerk", view=_set(ADM), add=_set(ADM)),
    Check("admin:auth_user_password_change", _set(ADM), ("clerk",), label="petugas"),
    Check(
        "admin:auth_user_password_change",
        NOBODY,
        ("supervisor",),
        label="Kepala Seksi",
    ),
    # The audit log: the supervisor searches it, nobody edits it.
    *_model("dukcapil", "auditentry", "auditentry", view=_set(SUP)),
    # The outbox: the supervisor reads it (the phone masked on the list), nobody edits it.
    *_model("dukcapil", "outboxmessage", "outboxmessage", view=_set(SUP)),
    # Regions: reference data every role reads, the Administrator keeps.
    *_model("registry", "district", "district", view=GROUPS, add=_set(ADM)),
    *_model("registry", "village", "village", view=GROUPS, add=_set(ADM)),
    # Residents: past versions show full NIKs, so only roles that see them open the history.
    *_model(
        "registry", "resident", "resident", view=RESIDENTS, add=_set(REG, ADM), history=FULL_NIK
    ),
    Check(
        "admin:registry_resident_simple_history",
        FULL_NIK,
        ("resident", "resident_history"),
    ),
    Check("admin:registry_resident_export", _set(SUP, ADM), ("csv",)),
    Check("admin:registry_resident_import", _set(SUP, ADM)),
    # The rejected rows of the supervisor's import: only the uploader finds them.
    Check("admin:registry_resident_import_rejected", _set(SUP), ("rejected_token",)),
    # Applications: each desk sees the applications; the registration desk opens them.
    # The history (the admin's own log) opens from the desk's list: a submitted application
    # is on the registration desk's and the supervisor's only.
    *_model(
        "registry",
        "cardapplication",
        "application",
        view=APPLICATIONS,
        add=_set(REG),
        history=_set(REG, SUP),
    ),
    Check("admin:registry_cardapplication_import", _set(REC)),
    # The scan field of the desk lists: opens a desk, or goes back to the list.
    Check("admin:registry_cardapplication_open", APPLICATIONS),
    # The documents the resident takes home carry the full NIK: printed by the desk that makes
    # them (registration, suket) and the supervisor.
    Check("admin:registry_cardapplication_print_receipt", _set(REG, SUP), ("application",)),
    Check("admin:registry_cardapplication_print_suket", _set(REG, SUP), ("printed",)),
    *_model("registry", "collectionqueueentry", "printed", view=QUEUE),
    Check("admin:registry_collectionqueueentry_announcement", QUEUE, ("csv",)),
    *_model("registry", "handoverrefusal", "handoverrefusal", view=_set(SUP)),
    # The log of the public status lookup: the supervisor reads it, nobody edits it.
    *_model("registry", "statuslookup", "statuslookup", view=_set(SUP)),
    Check("admin:registry_broker_indicators", _set(SUP)),
    # Reports (/admin/laporan/): registry.view_campaign; broker indicators also need
    # registry.view_broker_indicators.
    Check("reports:index", _set(SUP, ADM)),
    Check("reports:monthly", _set(SUP, ADM), query="bulan=2020-02"),
    Check("reports:report", _set(SUP, ADM), ("tunggakan",), label="tunggakan"),
    Check("reports:report", _set(SUP), ("indikasi-calo",), label="indikasi-calo"),
    Check(
        "reports:download",
        _set(SUP, ADM),
        ("penggunaan-blanko", "xlsx"),
        label="penggunaan-blanko",
    ),
    Check("reports:download", _set(SUP), ("indikasi-calo", "csv"), label="indikasi-calo"),
    Check("admin:registry_campaign_planner", _set(SUP)),
    Check(
        "admin:registry_campaign_planner",
        _set(SUP),
        query="extra_printers=1&extra_shift=M&extra_post=recording&extra_staff=2"
        "&blanks_quantity=15000&blanks_date=2020-03-01",
        label="what-if",
    ),
    *_model("registry", "campaign", "campaign", view=_set(SUP, ADM), add=_set(ADM)),
    # The queue: the desks that serve residents face to face call and take numbers; the
    # Administrator keeps the desks, the supervisor reads the day's tickets and their log.
    Check("ticket_desks", _set(REG, REC, HND)),
    Check("ticket_desk", _set(REG, REC, HND), (1,)),  # Loket 1: the desk's number
    *_model(
        "registry",
        "servicedesk",
        "servicedesk",
        view=_set(REG, REC, HND, SUP, ADM),
        add=_set(ADM),
    ),
    *_model("registry", "queueticket", "queueticket", view=_set(SUP)),
    # Blanks: the store room, the printer stations, the supervisor.
    *_model("stock", "receipt", "receipt", view=STORE, add=_set(BLK)),
    Check("admin:stock_receipt_import", _set(BLK)),
    Check("admin:stock_receipt_void", _set(SUP), ("receipt",)),  # confirmation page
    *_model("stock", "blank", "blank", view=_set(PRT, BLK, SUP)),
    Check("admin:stock_blank_transfer", _set(BLK)),
    Check("admin:stock_blank_spoil", _set(PRT, BLK)),
    Check("admin:stock_blank_adjust", _set(SUP)),
    *_model("stock", "movement", "movement", view=STORE),
    Check("admin:stock_movement_export", STORE, ("csv",)),
    Check("admin:stock_movement_usage", STORE, ("csv",)),
    *_model("stock", "destruction", "destruction", view=STORE, add=_set(BLK)),
    Check("admin:stock_destruction_print", STORE, ("destruction",)),
    *_model("stock", "dailyclosing", "dailyclosing", view=STORE, add=_set(BLK)),
    *_model("stock", "location", "location", view=_set(PRT, BLK, SUP, ADM), add=_set(ADM)),
    *_model("stock", "budgetline", "budgetline", view=_set(BLK, SUP, ADM), add=_set(ADM)),
    # Shifts: everyone reads who is on duty; the supervisor plans, the Administrator keeps
    # the reference data.
    *_model("shifts", "shifttype", "shifttype", view=GROUPS, add=_set(ADM)),
    *_model("shifts", "post", "post", view=GROUPS, add=_set(ADM)),
    *_model("shifts", "staff", "staff", view=GROUPS, add=_set(ADM)),
    *_model("shifts", "leave", "leave", view=_set(SUP, ADM), add=_set(SUP), delete=_set(SUP)),
    *_model(
        "shifts", "coveragerequirement", "coveragerequirement", view=_set(SUP, ADM), add=_set(SUP)
    ),
    *_model("shifts", "assignment", "assignment", view=GROUPS),
    *_model("shifts", "amendment", "amendment", view=_set(SUP)),
    # The roster's change page only forwards to its grid, which checks who asks.
    *_model("shifts", "roster", "roster", view=GROUPS, add=_set(SUP), change=STAFF),
    Check("admin:shifts_roster_grid", GROUPS, ("roster",)),
    Check("admin:shifts_roster_export", GROUPS, ("roster",)),
    # The roster's buttons change it: a plain GET is refused to everyone (see WRITES).
    Check("admin:shifts_roster_generate", NOBODY, ("roster",)),
    Check("admin:shifts_roster_publish", NOBODY, ("roster",)),
    Check("admin:shifts_roster_cell", NOBODY, ("roster",)),
    Check("admin:shifts_roster_import", NOBODY, ("roster",)),
]


def _model_writes(
    app: str,
    model: str,
    obj: str,
    label: str,
    *,
    add: frozenset[str] = NOBODY,
    change: frozenset[str] = NOBODY,
    new: dict,
    changed: dict,
) -> list[Write]:
    """Add, change and delete of one model, posted with real field values."""
    name = f"admin:{app}_{model}"
    return [
        Write(f"{name}_add", add, form_of=obj, data=new, watch=(label,)),
        Write(f"{name}_change", change, (obj,), form_of=obj, data=changed, watch=(obj,)),
        Write(f"{name}_delete", NOBODY, (obj,), data={"post": "yes"}, watch=(obj,)),
    ]


# Names an upload of the asking user that is no longer there: only the import roles get as
# far as being told so.
_GONE_UPLOAD = {"import_file_name": "{me}-" + "0" * 32}


def _import_writes(app: str, model: str, allowed: frozenset[str], watch: str) -> list[Write]:
    """Confirming and cancelling an upload (the upload form itself is a GET check)."""
    name = f"admin:{app}_{model}"
    return [
        Write(f"{name}_process_import", allowed, data=_GONE_UPLOAD, watch=(watch,)),
        Write(f"{name}_import_cancel", allowed, data=_GONE_UPLOAD, watch=(watch,)),
    ]


WRITES: list[Write] = [
    # The kiosk is public: anyone may take a number (rate-limited per address).
    Write("ticket_kiosk", EVERYONE, data={"service": "A"}, watch=("registry.QueueTicket",)),
    Write(
        "ticket_desks",
        _set(REG, REC, HND),
        data={"service": "C"},
        watch=("registry.QueueTicket",),
    ),
    Write(
        "ticket_desk",
        _set(REG, REC, HND),
        (1,),
        data={"action": "panggil"},
        watch=("queueticket",),
    ),
    *_model_writes(
        "registry",
        "servicedesk",
        "servicedesk",
        "registry.ServiceDesk",
        add=_set(ADM),
        change=_set(ADM),
        new={"number": "9"},
        changed={"service": "D"},
    ),
    *_model_writes(
        "registry",
        "queueticket",
        "queueticket",
        "registry.QueueTicket",
        new={"number": "99"},
        changed={"status": "served"},
    ),
    *_model_writes(
        "auth",
        "group",
        "group",
        "auth.Group",
        new={"name": "Peran Baru"},
        changed={"name": "Peran Diubah"},
    ),
    *_model_writes(
        "auth",
        "user",
        "clerk",
        "auth.User",
        add=_set(ADM),
        change=_set(ADM),
        new={
            "username": "akun-baru",
            "password1": "kata-sandi-Panjang-91",
            "password2": "kata-sandi-Panjang-91",
        },
        changed={"first_name": "DIUBAH"},
    ),
    Write(
        "admin:auth_user_change",
        NOBODY,
        ("administrator",),
        form_of="administrator",
        data={"is_superuser": "on"},
        watch=("administrator",),
        label="jadi superuser",
    ),
    Write(
        "admin:auth_user_password_change",
        _set(ADM),
        ("clerk",),
        data={"password1": "kata-sandi-Panjang-91", "password2": "kata-sandi-Panjang-91"},
        watch=("clerk",),
        label="petugas",
    ),
    Write(
        "admin:auth_user_password_change",
        NOBODY,
        ("supervisor",),
        data={"password1": "kata-sandi-Panjang-91", "password2": "kata-sandi-Panjang-91"},
        watch=("supervisor",),
        label="Kepala Seksi",
    ),
    *_model_writes(
        "dukcapil",
        "auditentry",
        "auditentry",
        "auditentry",  # refusals may themselves be audited: the entry must stay as it was
        new={"action": "login", "actor_username": "palsu"},
        changed={"object_repr": "dipalsukan"},
    ),
    *_model_writes(
        "registry",
        "statuslookup",
        "statuslookup",
        "registry.StatusLookup",
        new={"outcome": "ready"},
        changed={"outcome": "ready"},
    ),
    *_model_writes(
        "dukcapil",
        "outboxmessage",
        "outboxmessage",
        "dukcapil.OutboxMessage",
        new={"kind": "uji", "phone": "081299990000", "body": "palsu"},
        changed={"body": "dipalsukan"},
    ),
    *_model_writes(
        "registry",
        "district",
        "district",
        "registry.District",
        add=_set(ADM),
        change=_set(ADM),
        new={"code": "53.71.99", "name": "BARU"},
        changed={"name": "DIUBAH"},
    ),
    *_model_writes(
        "registry",
        "village",
        "village",
        "registry.Village",
        add=_set(ADM),
        change=_set(ADM),
        new={"code": "53.71.01.1999", "name": "BARU"},
        changed={"name": "DIUBAH"},
    ),
    *_model_writes(
        "registry",
        "resident",
        "resident",
        "registry.Resident",
        add=_set(REG, ADM),
        change=_set(REG, ADM),
        new={"nik": "5371014506900009", "sex": "P", "full_name": "BARU"},
        changed={"full_name": "DIUBAH", "nik": "5371012701900099"},
    ),
    Write(
        "admin:registry_resident_simple_history",
        NOBODY,
        ("resident", "resident_history"),
        form_of="resident_history",
        data={"full_name": "DIKEMBALIKAN", "nik": "5371012701900098"},
        watch=("resident",),
    ),
    *_import_writes("registry", "resident", _set(SUP, ADM), "registry.Resident"),
    Write(
        "admin:registry_cardapplication_add",
        _set(REG),
        query="nik={resident_nik}",
        data={"kind": "baru", "applicant_present": "on", "documents_present": ["kk"]},
        watch=("registry.CardApplication",),
    ),
    Write(
        "admin:registry_cardapplication_change",
        _set(SUP),
        ("application",),
        data={"step": "cancel", "cancel-reason": "Uji matriks"},
        watch=("application",),
        label="batalkan",
        refused_in_page=APPLICATIONS - {SUP},
    ),
    *_import_writes("registry", "cardapplication", _set(REC), "registry.ApplicationEvent"),
    *_model_writes(
        "registry",
        "campaign",
        "campaign",
        "registry.Campaign",
        add=_set(ADM),
        change=_set(SUP, ADM),
        new={"name": "Kampanye Baru"},
        changed={"target": 1},
    ),
    *_model_writes(
        "registry",
        "handoverrefusal",
        "handoverrefusal",
        "registry.HandoverRefusal",
        new={"proxy_name": "BARU"},
        changed={"proxy_name": "DIUBAH"},
    ),
    *_model_writes(
        "registry",
        "collectionqueueentry",
        "printed",
        "registry.CardApplication",
        new={},
        changed={"status": "issued"},
    ),
    *_model_writes(
        "registry",
        "cardapplication",
        "application",
        "registry.CardApplication",
        new={},
        changed={"status": "cancelled"},
    )[2:],
    # Blanks: every change of stock leaves a movement in the ledger.
    Write(
        "admin:stock_receipt_add",
        _set(BLK),
        data={
            "received_on": "{today}",
            "source": "apbn",
            "reference": "BAST-MATRIKS",
            "quantity": "3",
            "serials": "MTX0001-MTX0003",
            "location": "{location}",
            "unit_cost": "13333",
        },
        watch=("stock.Receipt", "stock.Movement"),
    ),
    Write(
        "admin:stock_receipt_change",
        NOBODY,
        ("receipt",),
        form_of="receipt",
        data={"reference": "DIUBAH"},
        watch=("receipt",),
    ),
    Write(
        "admin:stock_receipt_delete", NOBODY, ("receipt",), data={"post": "yes"}, watch=("receipt",)
    ),
    *_import_writes("stock", "receipt", _set(BLK), "stock.Receipt"),
    Write(
        "admin:stock_receipt_void",
        _set(SUP),
        ("receipt",),
        data={"reason": "Uji matriks"},
        watch=("receipt", "stock.Movement"),
    ),
    Write(
        "admin:stock_blank_transfer",
        _set(BLK),
        data={
            "serials": "KTP0009",
            "from_location": "{location}",
            "to_location": "{station}",
        },
        watch=("stock.Movement", "blank"),
    ),
    Write(
        "admin:stock_blank_spoil",
        _set(PRT, BLK),
        data={"serials": "KTP0004", "location": "{station}", "reason": "rusak_fisik"},
        watch=("stock.Movement",),
        label="di mesin cetak",
    ),
    Write(
        "admin:stock_blank_spoil",
        _set(BLK),
        data={"serials": "KTP0009", "location": "{location}", "reason": "rusak_fisik"},
        watch=("stock.Movement", "blank"),
        label="di gudang",
        refused_in_page=_set(PRT),  # the form answers that the store room is not theirs
    ),
    Write(
        "admin:stock_blank_adjust",
        _set(SUP),
        data={
            "serial": "KTP0009",
            "status": "lost",
            "location": "{location}",
            "note": "Uji matriks",
        },
        watch=("stock.Movement", "blank"),
    ),
    *[
        Write(f"admin:stock_{model}_{view}", NOBODY, (obj,), form_of=obj, data=data, watch=(obj,))
        for model, obj in [("blank", "blank"), ("movement", "movement")]
        for view, data in [("change", {"note": "DIUBAH"}), ("delete", {"post": "yes"})]
    ],
    Write(
        "admin:stock_destruction_add",
        _set(BLK),
        data={
            "serials": "KTP0003",
            "destroyed_on": "{today}",
            "method": "Dibakar",
            "witnesses": "ANA — Staf\nBUDI — Staf",
            "returned_old_cards": "0",
        },
        watch=("stock.Destruction", "spoiled_blank"),
    ),
    Write(
        "admin:stock_dailyclosing_add",
        _set(BLK),
        data={"location": "{station}", "day": "{today}", "physical_count": "0", "note": "Uji"},
        watch=("stock.DailyClosing",),
    ),
    *[
        Write(f"admin:stock_{model}_{view}", NOBODY, (obj,), form_of=obj, data=data, watch=(obj,))
        for model, obj in [("destruction", "destruction"), ("dailyclosing", "dailyclosing")]
        for view, data in [("change", {"note": "DIUBAH"}), ("delete", {"post": "yes"})]
    ],
    *_model_writes(
        "stock",
        "location",
        "location",
        "stock.Location",
        add=_set(ADM),
        change=_set(ADM),
        new={"name": "Mesin Cetak Baru", "kind": "printer"},
        changed={"name": "DIUBAH"},
    ),
    *_model_writes(
        "stock",
        "budgetline",
        "budgetline",
        "stock.BudgetLine",
        add=_set(ADM),
        change=_set(ADM),
        new={"name": "Pagu Baru"},
        changed={"amount": "1"},
    ),
    # Shifts.
    *_model_writes(
        "shifts",
        "shifttype",
        "shifttype",
        "shifts.ShiftType",
        add=_set(ADM),
        change=_set(ADM),
        new={"code": "X", "name": "Baru"},
        changed={"name": "DIUBAH"},
    ),
    *_model_writes(
        "shifts",
        "post",
        "post",
        "shifts.Post",
        add=_set(ADM),
        change=_set(ADM),
        new={"code": "BARU", "name": "Baru"},
        changed={"name": "DIUBAH"},
    ),
    *_model_writes(
        "shifts",
        "staff",
        "staff",
        "shifts.Staff",
        add=_set(ADM),
        change=_set(ADM),
        new={"nip": "198504122010031999", "name": "BARU"},
        changed={"name": "DIUBAH"},
    ),
    Write(
        "admin:shifts_leave_add",
        _set(SUP),
        form_of="leave",
        data={"start": "2020-03-02", "end": "2020-03-03"},
        watch=("shifts.Leave",),
    ),
    Write(
        "admin:shifts_leave_change",
        _set(SUP),
        ("leave",),
        form_of="leave",
        data={"kind": "sakit"},
        watch=("leave",),
    ),
    Write(
        "admin:shifts_leave_delete", _set(SUP), ("leave",), data={"post": "yes"}, watch=("leave",)
    ),
    *_model_writes(
        "shifts",
        "coveragerequirement",
        "coveragerequirement",
        "shifts.CoverageRequirement",
        add=_set(SUP),
        change=_set(SUP),
        new={"shift_type": "{shifttype_malam}"},
        changed={"min_staff": "9"},
    ),
    *_model_writes(
        "shifts",
        "assignment",
        "assignment",
        "shifts.Assignment",
        new={"date": "2020-02-20"},
        changed={"date": "2020-02-21"},
    ),
    *_model_writes(
        "shifts",
        "amendment",
        "amendment",
        "shifts.Amendment",
        new={"reason": "Palsu"},
        changed={"reason": "Dipalsukan"},
    ),
    Write(
        "admin:shifts_roster_add",
        _set(SUP),
        data={"period_start": "2020-03-01", "period_end": "2020-03-31"},
        watch=("shifts.Roster",),
    ),
    Write(
        "admin:shifts_roster_delete", NOBODY, ("roster",), data={"post": "yes"}, watch=("roster",)
    ),
    Write(
        "admin:shifts_roster_generate",
        _set(SUP),
        ("roster",),
        watch=("shifts.Assignment",),
    ),
    Write(
        "admin:shifts_roster_publish",
        _set(SUP),
        ("roster",),
        data={"confirmed": "1"},
        watch=("roster",),
    ),
    Write(
        "admin:shifts_roster_cell",
        _set(SUP),
        ("roster",),
        data={
            "staff": "{staff}",
            "day": "2020-01-05",
            "shift_type": "{shifttype}",
            "post": "{post}",
        },
        watch=("shifts.Assignment",),
    ),
    Write(
        "admin:shifts_roster_import",
        _set(SUP),
        ("roster",),
        watch=("shifts.Assignment",),
    ),
]


def _deletes(*models: str, allowed: frozenset[str] = NOBODY) -> list[Action]:
    return [
        Action(model, "delete_selected", allowed, model.split(".")[1], "deleted")
        for model in models
    ]


ACTIONS: list[Action] = [
    *_deletes(
        "auth.group",
        "dukcapil.auditentry",
        "registry.district",
        "registry.village",
        "registry.resident",
        "registry.handoverrefusal",
        "registry.statuslookup",
        "registry.campaign",
        "registry.servicedesk",
        "registry.queueticket",
        "stock.receipt",
        "stock.blank",
        "stock.movement",
        "stock.destruction",
        "stock.dailyclosing",
        "stock.location",
        "stock.budgetline",
        "shifts.shifttype",
        "shifts.post",
        "shifts.staff",
        "shifts.coveragerequirement",
        "shifts.assignment",
        "shifts.amendment",
        "shifts.roster",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "dukcapil.outboxmessage",
    ),
    Action(
        "dukcapil.outboxmessage",
        "requeue_selected",
        _set(SUP),
        "outboxmessage",
        "message:pesan dikirim ulang.",
    ),
    # django-axes clears expired attempts on every request: the clean-up shows only by its message.
    Action(
        "axes.accessattempt",
        "cleanup_expired_attempts",
        NOBODY,
        "accessattempt",
        "message:Cleaned up",
    ),
    Action("auth.user", "delete_selected", NOBODY, "clerk", "deleted"),
    Action("registry.cardapplication", "delete_selected", NOBODY, "application", "deleted"),
    Action("registry.collectionqueueentry", "delete_selected", NOBODY, "printed", "deleted"),
    Action("shifts.leave", "delete_selected", _set(SUP), "leave", "deleted"),
    Action(
        "stock.blank",
        "transfer_selected",
        _set(BLK),
        "blank",
        "redirect:admin:stock_blank_transfer",
    ),
    Action(
        "stock.blank",
        "spoil_selected",
        _set(PRT, BLK),
        "blank",
        "redirect:admin:stock_blank_spoil",
    ),
    Action(
        "stock.blank",
        "destroy_selected",
        _set(BLK),
        "spoiled_blank",
        "redirect:admin:stock_destruction_add",
    ),
    Action("stock.destruction", "approve_selected", _set(SUP), "destruction", "approved"),
    Action("stock.dailyclosing", "approve_selected", _set(SUP), "dailyclosing", "approved"),
]
