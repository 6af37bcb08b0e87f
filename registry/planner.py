"""The capacity planner: each step's daily capacity, the bottleneck, the day the target is
reached and the day blanks run out, for today's plan and one "what if" beside it.

Read-only: the inputs come from the published roster, the event log, the stock and the budget;
a what-if changes only the inputs in memory. A recording set needs its own operator; one print
operator tends up to DUKCAPIL_PRINTERS_PER_OPERATOR printers. Handover is not a capacity: it
follows the residents who come to collect.
"""

import dataclasses
import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from dukcapil.days import day_start
from registry.models import ApplicationEvent, ApplicationStatus, Campaign, CardApplication
from registry.selectors.campaign import PACE_DAYS, Pace, campaign_pace
from shifts.models import Assignment, RosterStatus, ShiftType
from stock.models import BudgetLine, Location, LocationKind
from stock.selectors import stock_forecast

S = ApplicationStatus
HORIZON_DAYS = 3 * 365  # a plan that needs longer than this says "not reached"
RECORDING, PRINTING = "recording", "printing"
STEP_LABELS = {RECORDING: "Perekaman", PRINTING: "Pencetakan", "blanks": "Blanko"}
# Applications that need no more recording before their card is printed.
READY_STATUSES = (S.RECORDED, S.PRINT_READY)


@dataclass(frozen=True)
class ShiftPlan:
    code: str
    name: str
    recording_staff: float  # average people on the recording post per day in this shift
    printing_staff: float
    recording_rate: int  # people per recording set in one shift
    printing_rate: int  # cards per printer in one shift


@dataclass(frozen=True)
class Inputs:
    today: dt.date
    end: dt.date
    cards_needed: int  # target less the cards printed here since the start
    ready: int  # recorded (or recorded before) and waiting for their card
    recording_sets: int
    printers: int
    printers_per_operator: int
    shifts: tuple[ShiftPlan, ...]
    blanks_in_stock: int
    receipts: tuple[tuple[dt.date, int], ...]  # blanks expected on a date
    budget_outstanding: int  # blanks budgeted and not yet received (no date: not counted)
    spoilage_rate: float
    measured: bool  # rates measured from the event log where there was work to measure

    @property
    def to_record(self) -> int:
        return max(self.cards_needed - self.ready, 0)


@dataclass(frozen=True)
class ShiftCapacity:
    name: str
    recording: int
    printing: int


@dataclass(frozen=True)
class Plan:
    inputs: Inputs
    shifts: list[ShiftCapacity]
    recording_per_day: int
    printing_per_day: int
    blanks_per_day: int  # blanks a day of printing at capacity uses, spoilage included
    bottleneck: str  # a STEP_LABELS key
    target_reached: dt.date | None  # the day the last card needed is printed
    blanks_run_out: dt.date | None  # the first day without a blank while cards remain

    @property
    def bottleneck_label(self) -> str:
        return STEP_LABELS[self.bottleneck]

    @property
    def misses_end(self) -> bool:
        return self.target_reached is None or self.target_reached > self.inputs.end


def _shift_capacity(inputs: Inputs, shift: ShiftPlan) -> ShiftCapacity:
    sets = min(shift.recording_staff, inputs.recording_sets)
    printers = min(shift.printing_staff * inputs.printers_per_operator, inputs.printers)
    return ShiftCapacity(
        shift.name,
        math.floor(sets * shift.recording_rate),
        math.floor(printers * shift.printing_rate),
    )


def plan(inputs: Inputs) -> Plan:
    """Day by day from tomorrow: record what is left, print what is ready while blanks last."""
    shifts = [_shift_capacity(inputs, shift) for shift in inputs.shifts]
    record_cap = sum(s.recording for s in shifts)
    print_cap = sum(s.printing for s in shifts)
    keep = 1 - inputs.spoilage_rate
    arrivals = Counter()
    for day, quantity in inputs.receipts:
        arrivals[max(day, inputs.today + dt.timedelta(days=1))] += quantity
    last_arrival = max(arrivals, default=inputs.today)
    to_record, ready, blanks = inputs.to_record, inputs.ready, float(inputs.blanks_in_stock)
    done, reached, run_out = 0, None, None
    day = inputs.today
    while done < inputs.cards_needed and (day - inputs.today).days < HORIZON_DAYS:
        day += dt.timedelta(days=1)
        blanks += arrivals[day]
        recorded = min(record_cap, to_record)
        to_record -= recorded
        ready += recorded
        printable = math.floor(blanks * keep + 1e-9)
        printed = min(print_cap, ready, printable, inputs.cards_needed - done)
        if printable < 1 and run_out is None:
            run_out = day
        ready -= printed
        done += printed
        blanks = max(blanks - printed / keep, 0.0)
        if not printed and not recorded and day >= last_arrival:
            break  # nothing moves any more: no capacity, no work, or no blanks coming
    if done >= inputs.cards_needed:
        reached = day if inputs.cards_needed else inputs.today
    bottleneck = RECORDING if inputs.to_record and record_cap < print_cap else PRINTING
    if run_out is not None and (reached is None or run_out <= reached):
        bottleneck = "blanks"
    return Plan(
        inputs=inputs,
        shifts=shifts,
        recording_per_day=record_cap,
        printing_per_day=print_cap,
        blanks_per_day=math.ceil(print_cap / keep) if keep > 0 else 0,
        bottleneck=bottleneck,
        target_reached=reached,
        blanks_run_out=run_out,
    )


# -- today's inputs, read from the database ----------------------------------------------------


def _staffing(today: dt.date) -> tuple[dict, int]:
    """(shift id, post code) → people rostered, over the published days of the next week."""
    rows = (
        Assignment.objects.filter(
            roster__status=RosterStatus.PUBLISHED,
            date__range=(today, today + dt.timedelta(days=PACE_DAYS - 1)),
        )
        .values_list("date", "shift_type_id", "post__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    people, days = Counter(), set()
    for day, shift, post, n in rows:
        people[(shift, post)] += n
        days.add(day)
    return people, len(days)


def _measured_rates(today: dt.date, printers: int, sets: int) -> dict[tuple[int, str], int]:
    """(shift id, step) → work per staffed station in one shift, over the last full week."""
    since, until = day_start(today - dt.timedelta(days=PACE_DAYS)), day_start(today)
    done = {
        (shift, step): n
        for shift, step, n in ApplicationEvent.objects.filter(
            Q(to_status=S.RECORDED, from_status=S.VERIFIED)
            | Q(to_status=S.PRINTED, from_status=S.PRINT_READY),
            at__gte=since,
            at__lt=until,
            assignment__isnull=False,
        )
        .values_list("assignment__shift_type_id", "to_status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    staffed = (
        Assignment.objects.filter(
            roster__status=RosterStatus.PUBLISHED,
            date__range=(today - dt.timedelta(days=PACE_DAYS), today - dt.timedelta(days=1)),
            post__code__in=[settings.DUKCAPIL_RECORDING_POST, settings.DUKCAPIL_PRINTING_POST],
        )
        .values_list("date", "shift_type_id", "post__code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    stations: Counter = Counter()
    for _, shift, post, n in staffed:
        if post == settings.DUKCAPIL_RECORDING_POST:
            stations[(shift, S.RECORDED)] += min(n, sets)
        else:
            per = settings.DUKCAPIL_PRINTERS_PER_OPERATOR
            stations[(shift, S.PRINTED)] += min(n * per, printers)
    return {key: round(done.get(key, 0) / n) for key, n in stations.items() if n}


def plan_inputs(campaign: Campaign, *, measured: bool = False, pace: Pace | None = None) -> Inputs:
    """Today's plan as the roster, the log, the stock and the budget have it."""
    pace = pace or campaign_pace(campaign)
    today = pace.today
    cards_needed = max(campaign.target - pace.printed, 0)
    printers = Location.objects.filter(kind=LocationKind.PRINTER, active=True).count()
    sets = settings.DUKCAPIL_RECORDING_SETS
    people, days = _staffing(today)
    rates = _measured_rates(today, printers, sets) if measured else {}
    shifts = tuple(
        ShiftPlan(
            code=shift.code,
            name=shift.name,
            recording_staff=people[(shift.pk, settings.DUKCAPIL_RECORDING_POST)] / max(days, 1),
            printing_staff=people[(shift.pk, settings.DUKCAPIL_PRINTING_POST)] / max(days, 1),
            recording_rate=rates.get(
                (shift.pk, S.RECORDED), settings.DUKCAPIL_RECORDING_PER_SET_SHIFT
            ),
            printing_rate=rates.get(
                (shift.pk, S.PRINTED), settings.DUKCAPIL_PRINTING_PER_PRINTER_SHIFT
            ),
        )
        for shift in ShiftType.objects.order_by("start")
    )
    forecast = stock_forecast(cards_to_print=cards_needed, today=today, window_days=PACE_DAYS)
    budget = BudgetLine.objects.aggregate(planned=Coalesce(Sum("planned_quantity"), 0))["planned"]
    received = BudgetLine.objects.aggregate(
        n=Coalesce(Sum("receipts__quantity", filter=Q(receipts__voided_at__isnull=True)), 0)
    )["n"]
    return Inputs(
        today=today,
        end=campaign.end,
        cards_needed=cards_needed,
        ready=min(CardApplication.objects.filter(status__in=READY_STATUSES).count(), cards_needed),
        recording_sets=sets,
        printers=printers,
        printers_per_operator=settings.DUKCAPIL_PRINTERS_PER_OPERATOR,
        shifts=shifts,
        blanks_in_stock=forecast.in_stock,
        receipts=(),
        budget_outstanding=max(budget - received, 0),
        spoilage_rate=forecast.spoilage_rate,
        measured=measured,
    )


# -- what if -------------------------------------------------------------------------------------


class WhatIfForm(forms.Form):
    """Changes to today's inputs; none is stored."""

    measured = forms.TypedChoiceField(
        label="laju per stasiun",
        choices=[("0", "bawaan (pengaturan)"), ("1", "terukur dari riwayat 7 hari terakhir")],
        coerce=lambda value: value == "1",
        initial="0",
        required=False,
        empty_value=False,
    )
    extra_printers = forms.IntegerField(
        label="tambahan mesin cetak", min_value=0, max_value=20, required=False
    )
    extra_sets = forms.IntegerField(
        label="tambahan alat rekam", min_value=0, max_value=20, required=False
    )
    extra_shift = forms.ChoiceField(label="tambahan petugas pada shift", required=False)
    extra_post = forms.ChoiceField(
        label="di pos",
        choices=[(RECORDING, "Perekaman"), (PRINTING, "Cetak")],
        required=False,
    )
    extra_staff = forms.IntegerField(
        label="jumlah petugas tambahan", min_value=0, max_value=50, required=False
    )
    blanks_quantity = forms.IntegerField(
        label="blanko datang (keping)", min_value=0, max_value=1_000_000, required=False
    )
    blanks_date = forms.DateField(
        label="pada tanggal",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["extra_shift"].choices = [("", "—")] + [
            (t.code, t.name) for t in ShiftType.objects.order_by("start")
        ]

    def clean(self):
        data = super().clean()
        if data.get("blanks_quantity") and not data.get("blanks_date"):
            raise ValidationError("Isi tanggal kedatangan blanko.")
        if data.get("extra_staff") and not data.get("extra_shift"):
            raise ValidationError("Pilih shift untuk petugas tambahan.")
        return data

    @property
    def asks(self) -> bool:
        """Something other than the rate was changed."""
        data = self.cleaned_data
        return any(
            data.get(name)
            for name in ("extra_printers", "extra_sets", "extra_staff", "blanks_quantity")
        )


def what_if(inputs: Inputs, data: dict) -> Inputs:
    """``inputs`` with the changes of a valid WhatIfForm's data."""
    extra = data.get("extra_staff") or 0
    shifts = tuple(
        dataclasses.replace(
            shift,
            recording_staff=shift.recording_staff
            + (extra if data.get("extra_post") == RECORDING else 0),
            printing_staff=shift.printing_staff
            + (extra if data.get("extra_post") == PRINTING else 0),
        )
        if shift.code == data.get("extra_shift")
        else shift
        for shift in inputs.shifts
    )
    receipts = inputs.receipts
    if data.get("blanks_quantity"):
        receipts = (*receipts, (data["blanks_date"], data["blanks_quantity"]))
    return dataclasses.replace(
        inputs,
        printers=inputs.printers + (data.get("extra_printers") or 0),
        recording_sets=inputs.recording_sets + (data.get("extra_sets") or 0),
        shifts=shifts,
        receipts=receipts,
    )
