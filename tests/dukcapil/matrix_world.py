"""The records every URL of the permission matrix points at, built once per test module.

Everything goes through the services, as the office would create it: a resident with a
history, applications at the registration desk and waiting for collection, a refused proxy,
blanks received, moved, spoiled and destroyed, a day closed, rosters drafted and published.
"""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import timezone

from dukcapil import roles
from dukcapil.audit import audit_record
from dukcapil.models import AuditAction, OutboxMessage, OutboxStatus
from dukcapil.two_factor import backup_codes_issue, totp_device_create
from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.models import (
    ApplicationStatus,
    Campaign,
    District,
    HandoverRefusal,
    LookupOutcome,
    Resident,
    ServiceDesk,
    StatusLookup,
    Village,
)
from registry.public.services import nik_hash
from registry.services.applications import application_submit, berkas_check
from registry.services.printing import card_print
from registry.services.recording import application_record, central_result_apply
from registry.services.residents import resident_save
from registry.services.suket import suket_issue
from registry.services.tickets import ticket_issue
from shifts.models import Amendment, CoverageRequirement, Leave, Post, ShiftType, Staff
from shifts.services import assignment_set, roster_amend, roster_create, roster_publish
from stock.models import Blank, BudgetLine, Location, LocationKind, Movement
from stock.services import (
    blank_spoil,
    blanks_transfer,
    dailyclosing_create,
    destruction_create,
    receipt_create,
)
from tests.registry.factories import make_resident

NO_ROLE = "tanpa peran"
ANONYMOUS = "anonim"
ROLES = (
    roles.REGISTRATION,
    roles.RECORDING,
    roles.PRINTING,
    roles.HANDOVER,
    roles.BLANKS,
    roles.SUPERVISOR,
    roles.ADMINISTRATOR,
    NO_ROLE,
    ANONYMOUS,
)
PASSWORD = "rahasia-uji-123"


def _user(username: str, role: str | None):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def world_build() -> dict:
    """Name → record (or value) for the URL arguments and the checks' "nothing changed"."""
    people = {
        role: _user(role.lower().replace(" ", "-"), None if role == NO_ROLE else role)
        for role in ROLES
        if role != ANONYMOUS
    }
    registration, recording = people[roles.REGISTRATION], people[roles.RECORDING]
    printing, keeper = people[roles.PRINTING], people[roles.BLANKS]
    supervisor = people[roles.SUPERVISOR]
    w: dict = {
        "people": people,
        "supervisor": supervisor,
        "administrator": people[roles.ADMINISTRATOR],
        "today": timezone.localdate().isoformat(),
    }
    w["clerk"] = _user("petugas-sasaran", roles.REGISTRATION)
    # The roles that need a second factor have linked an authenticator app.
    w["totpdevice"] = totp_device_create(user=supervisor, confirmed=True)
    w["administrator_totpdevice"] = totp_device_create(
        user=people[roles.ADMINISTRATOR], confirmed=True
    )
    backup_codes_issue(user=supervisor)
    w["staticdevice"] = supervisor.staticdevice_set.get()
    attempt = {"user_agent": "uji", "ip_address": "127.0.0.1", "http_accept": "*/*"}
    attempt |= {"username": "tak-dikenal", "path_info": "/admin/login/"}
    w["accessattempt"] = AccessAttempt.objects.create(
        **attempt, get_data="", post_data="", failures_since_start=1
    )
    w["accesslog"] = AccessLog.objects.create(**attempt)
    w["accessfailurelog"] = AccessFailureLog.objects.create(**attempt)
    w["group"] = Group.objects.get(name=roles.REGISTRATION)
    w["auditentry"] = audit_record(actor=supervisor, action=AuditAction.LOGIN, object_repr="masuk")
    w["outboxmessage"] = OutboxMessage.objects.create(
        kind="card_printed",
        phone="081234567890",
        body="KTP-el Anda sudah dicetak.",
        reference="PKTP-0000001",
        status=OutboxStatus.FAILED,
        tries=5,
        next_attempt_at=timezone.now(),
        last_error="GatewayError: HTTP 503",
    )
    w["district"] = District.objects.get(code="53.71.01")
    w["village"] = Village.objects.get(code="53.71.01.1001")

    resident = make_resident()
    resident.full_name = "YOHANES NDOLU MANU"
    w["resident"] = resident_save(resident=resident, actor=registration)
    w["resident_nik"] = resident.nik
    w["resident_history"] = resident.history.order_by("history_id").first()
    w["resident_content_type"] = ContentType.objects.get_for_model(Resident)

    today = timezone.localdate()
    store = Location.objects.create(kind=LocationKind.STORE, name="Gudang Dukcapil")
    station = Location.objects.create(kind=LocationKind.PRINTER, name="Mesin Cetak 1")
    w["location"], w["station"] = store, station
    w["budgetline"] = BudgetLine.objects.create(
        year=today.year,
        source="apbd",
        name="Belanja blanko KTP-el",
        amount=200_000_000,
        planned_quantity=15_000,
    )
    w["receipt"] = receipt_create(
        received_on=today,
        source="apbn",
        reference="BAST-001/2020",
        quantity=10,
        serials="KTP0001-KTP0010",
        location=store,
        actor=keeper,
        unit_cost=13_333,
    )
    blanks_transfer(
        serials=["KTP0001", "KTP0002", "KTP0003", "KTP0004"],
        from_location=store,
        to_location=station,
        actor=keeper,
    )
    blank_spoil(serial="KTP0002", location=station, reason="rusak_fisik", actor=keeper)
    blank_spoil(serial="KTP0003", location=station, reason="rusak_fisik", actor=keeper)
    w["destruction"] = destruction_create(
        serials=["KTP0002"],
        destroyed_on=today,
        witnesses="ANA — Staf\nBUDI — Staf",
        actor=keeper,
    )
    w["spoiled_blank"] = Blank.objects.get(serial="KTP0003")
    w["blank"] = Blank.objects.get(serial="KTP0009")
    w["movement"] = Movement.objects.order_by("pk").first()
    w["dailyclosing"] = dailyclosing_create(
        location=store, day=today - dt.timedelta(days=1), physical_count=0, actor=keeper
    )

    def submitted(**overrides):
        return application_submit(
            resident=make_resident(**overrides),
            kind="baru",
            actor=registration,
            applicant_present=True,
            documents_present=REQUIRED_DOCUMENTS["baru"],
        )

    w["application"] = submitted(nik="5371012701900002", full_name="MARIA NDOLU")
    printed = submitted(nik="5371012701900003", full_name="PETRUS NDOLU")
    printed = berkas_check(
        application=printed, verified_kinds=REQUIRED_DOCUMENTS["baru"], actor=registration
    )
    printed = application_record(application=printed, actor=recording)
    printed = central_result_apply(
        application=printed, to_status=ApplicationStatus.PRINT_READY, actor=recording
    )
    # Issued on a day without a blank to spare (the rule is a setting); still outstanding.
    with override_settings(DUKCAPIL_SUKET_REFUSED_WHILE_STOCK=False):
        w["suket"] = suket_issue(application=printed, actor=registration)
    w["printed"] = card_print(
        application=printed, blank_serial="KTP0001", station=station, operator=printing
    )
    w["handoverrefusal"] = HandoverRefusal.objects.create(
        application=w["printed"],
        at=timezone.now(),
        actor=people[roles.HANDOVER],
        proxy_name="KETUA RT",
        proxy_nik="5371010101800001",
        reason="Bukan pemilik kartu.",
    )
    # One lookup of the resident's status from the public page, as the page logs it.
    w["statuslookup"] = StatusLookup.objects.create(
        at=timezone.now(),
        address="10.0.0.1",
        nik_hash=nik_hash(w["resident_nik"]),
        outcome=LookupOutcome.NONE,
    )
    w["campaign"] = Campaign.objects.create(
        name="Percepatan KTP-el 2020",
        target=40_000,
        start=dt.date(2020, 1, 27),
        end=dt.date(2020, 4, 27),
    )

    w["shifttype"] = ShiftType.objects.get(code="P")
    w["shifttype_malam"] = ShiftType.objects.get(code="M")
    w["post"] = Post.objects.get(code="REK")
    # Loket 1 (the panel's address is the desk's number) and a number waiting at it.
    w["servicedesk"] = ServiceDesk.objects.create(number=1, service="A", post=w["post"])
    w["queueticket"] = ticket_issue(service="A", actor=registration)
    w["staff"] = Staff.objects.create(nip="198504122010031001", name="ANA LAY")
    w["staff"].posts.set([w["post"]])
    w["leave"] = Leave.objects.create(
        staff=w["staff"], start=dt.date(2020, 2, 3), end=dt.date(2020, 2, 4), kind="cuti"
    )
    w["coveragerequirement"] = CoverageRequirement.objects.get_or_create(
        shift_type=w["shifttype"], post=w["post"], defaults={"min_staff": 1}
    )[0]
    w["roster"] = roster_create(
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2020, 1, 31), actor=supervisor
    )
    published = roster_create(
        period_start=dt.date(2020, 2, 1), period_end=dt.date(2020, 2, 29), actor=supervisor
    )
    slot = {"staff": w["staff"], "shift_type": w["shifttype"], "post": w["post"]}
    assignment_set(roster=published, day=dt.date(2020, 2, 1), actor=supervisor, **slot)
    w["published_roster"] = roster_publish(roster=published, actor=supervisor)
    roster_amend(
        roster=published,
        day=dt.date(2020, 2, 2),
        reason="Tukar jaga",
        actor=supervisor,
        **slot,
    )
    w["assignment"] = published.assignments.first()
    w["amendment"] = Amendment.objects.get(roster=published)
    return w
