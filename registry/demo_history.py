"""The campaign's first weeks for the demo: applications moving through every step, on the
days and in the shifts they happened, by the petugas on duty then.

Nothing here decides a rule. Each application's story follows ``registry.lifecycle`` step by
step, and is stored as the services store it (the application with its stamps, its berkas, one
event per transition naming the assignment on duty, one ledger row per blank), only dated in
the past: the services stamp the present moment, and the event log and the ledger refuse
corrections afterwards. The demo tests check the result against the status table, the
constraints and ``stock_verify``.
"""

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone

from dukcapil.roles import (
    ADMINISTRATOR,
    BLANKS,
    HANDOVER,
    PRINTING,
    RECORDING,
    REGISTRATION,
    SUPERVISOR,
)
from registry.lifecycle import (
    OLD_CARD_RETURNED,
    REQUIRED_DOCUMENTS,
    allowed_moves,
)
from registry.models import (
    ApplicationEvent,
    ApplicationKind,
    ApplicationStatus,
    Campaign,
    CardApplication,
    DocumentCheck,
    HandoverRefusal,
    LifeStatus,
    Nationality,
    Resident,
    SiakRecordStatus,
    VerificationMethod,
    eligible_q,
)
from registry.services.applications import phone_normalise
from registry.services.handover import proxy_refusal
from registry.services.siak_load import applications_load_from_siak
from registry.services.transitions import application_arrive
from shifts.models import ShiftType
from stock.demo import StockHistory, stock_history_start
from stock.models import SpoilReason

S = ApplicationStatus
CAMPAIGN_DAY = 30  # the demo's today, counted from the campaign's first day
CAMPAIGN_DAYS = 90
CAMPAIGN_TARGET = 40_000
CITY_DELIVERY_DAY = 12
DESTRUCTION_DAY = 21
# Most people come in the morning, fewer in the afternoon, a few at night.
SHIFT_WEIGHTS = {"P": 0.55, "S": 0.33, "M": 0.12}
RECORDING_PER_DAY = 300  # two recording sets at about 150 people a day each
SPOILAGE = 0.045
SPOIL_REASONS = [SpoilReason.PRINTING, SpoilReason.ENCODING, SpoilReason.PHYSICAL]
METHODS = (
    [VerificationMethod.FINGERPRINT] * 7
    + [VerificationMethod.FACE] * 2
    + [VerificationMethod.DOCUMENT]
)
BROKER_PHONE = "081237700512"  # planted: one number on four unrelated families' applications
CENTRAL_NOTE = "Hasil dari pusat (impor)"


# Role → (username, first name, last name) of its demo login.
DEMO_STAFF = {
    REGISTRATION: ("pendaftaran", "Maria", "Ndolu"),
    RECORDING: ("perekaman", "Yohanes", "Benu"),
    PRINTING: ("cetak", "Kristoforus", "Laka"),
    HANDOVER: ("penyerahan", "Fransiska", "Manafe"),
    BLANKS: ("blanko", "Agustinus", "Nenobais"),
    SUPERVISOR: ("kasi", "Martha", "Fanggidae"),
    ADMINISTRATOR: ("admin", "Yoseph", "Riwu"),
}
# The post each demo login is rostered on, now.
DEMO_POSTS = {
    REGISTRATION: "DAF",
    RECORDING: "REK",
    PRINTING: "CTK",
    HANDOVER: "SRH",
    SUPERVISOR: "AWS",
}


def demo_account(role: str) -> AbstractBaseUser:
    """The demo login of ``role``, in its group; demo_users gives it its password."""
    username, first_name, last_name = DEMO_STAFF[role]
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"first_name": first_name, "last_name": last_name, "is_staff": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.set([Group.objects.get(name=role)])
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def campaign_seed(today: dt.date) -> Campaign:
    """The campaign dated so that ``today`` is its day 30 of 90.

    The city's target is 40,000; a demo register is a sample of the city, so its target is
    the sample's wajib KTP (in whole hundreds), and the dashboard's share, pace and projected
    date read as they would for the whole city.
    """
    start = today - dt.timedelta(days=CAMPAIGN_DAY)
    campaign = Campaign.objects.order_by("pk").first() or Campaign(
        name="Percepatan perekaman dan pencetakan KTP-el Kota Kupang"
    )
    wajib_ktp = Resident.objects.filter(eligible_q(start)).count()
    campaign.target = max(min(CAMPAIGN_TARGET, wajib_ktp // 100 * 100), 100)
    campaign.start, campaign.end = start, start + dt.timedelta(days=CAMPAIGN_DAYS)
    campaign.save()
    return campaign


@dataclass
class Step:
    to_status: str
    at: dt.datetime  # naive local time
    actor_id: int
    assignment_id: int | None
    note: str = ""


@dataclass
class Story:
    """One application from its first step to where it stands now."""

    resident_id: int
    kind: str
    status: str
    application: CardApplication | None = None  # loaded from SIAK before the campaign
    steps: list[Step] = field(default_factory=list)
    phone: str = ""
    serial: str = ""
    station: str = ""
    handed_over_by: int | None = None
    method: str = ""
    froms: list[str] = field(default_factory=list)  # each step's from-status, when stored


class Desks:
    """Who was on duty at each post, and when a step could be taken."""

    def __init__(self, duty: dict, now: dt.datetime, rng: random.Random, skip: set[int]):
        self.rng, self.now = rng, now
        self.duty = {k: [d for d in v if d[1] not in skip] for k, v in duty.items()}
        self.windows = {t.code: t for t in ShiftType.objects.all()}

    def shift_of(self, at: dt.datetime) -> tuple[dt.date, str]:
        for code, shift_type in self.windows.items():
            for day in (at.date() - dt.timedelta(days=1), at.date()):
                start, end = shift_type.window(day)
                if start <= at < end:
                    return day, code
        raise ValueError(at)

    def visit(self, day: dt.date) -> dt.datetime:
        """A moment on ``day`` when someone comes in, in a shift chosen by its weight."""
        code = self.rng.choices(list(SHIFT_WEIGHTS), weights=list(SHIFT_WEIGHTS.values()))[0]
        start, end = self.windows[code].window(day)
        return start + (end - start) * self.rng.uniform(0.02, 0.95)

    def step(self, at: dt.datetime, post: str, to_status: str, note: str = "") -> Step | None:
        """The step taken at ``at`` (or the next shift someone holds ``post``), or None when
        that is later than now."""
        for _ in range(6):
            if at > self.now:
                return None
            day, code = self.shift_of(at)
            if on_post := self.duty.get((day, code, post)):
                assignment_id, user_id = self.rng.choice(on_post)
                return Step(to_status, at, user_id, assignment_id, note)
            _, end = self.windows[code].window(day)
            at = end + dt.timedelta(minutes=self.rng.randint(5, 90))
        return None

    def off_duty_user(self, at: dt.datetime, post: str) -> int | None:
        """Someone rostered on ``post`` some day who holds no shift at ``at``."""
        day, code = self.shift_of(at)
        working = {
            u for (d, c, _), held in self.duty.items() if (d, c) == (day, code) for _, u in held
        }
        return min(
            {u for (_, _, p), held in self.duty.items() if p == post for _, u in held} - working,
            default=None,
        )


class Capacity:
    """How many of one step a day allows; a step that finds the day full waits for the next."""

    def __init__(self, per_day, desks: Desks):
        self.per_day, self.desks, self.used = per_day, desks, Counter()

    def book(self, at: dt.datetime) -> dt.datetime:
        while self.used[at.date()] >= self.per_day(at.date()):
            at = self.desks.visit(at.date() + dt.timedelta(days=1))
        self.used[at.date()] += 1
        return at


def _days(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(days=rng.uniform(low, high))


class Campaign30:
    """Writes the stories of the campaign so far; ``run`` returns how many applications moved."""

    def __init__(
        self,
        *,
        start: dt.datetime,
        now: dt.datetime,
        duty: dict,
        clerks: set[int],
        keeper: AbstractBaseUser,
        approver: AbstractBaseUser,
        seed: int = 2020,
    ):
        self.rng = random.Random(seed)
        self.start, self.now = start, now
        self.desks = Desks(duty, now, self.rng, clerks)
        self.recording = Capacity(lambda day: RECORDING_PER_DAY, self.desks)
        daily_prints = defaultdict(lambda: self.rng.randint(200, 250))
        self.printing = Capacity(daily_prints.__getitem__, self.desks)
        self.keeper, self.approver = keeper, approver
        self.stories: list[Story] = []

    def run(self) -> int:
        self._load_siak()
        self._new_applicants()
        self._replacements()
        # Cards are printed in the order they became ready, so a full day delays the later ones.
        queue = sorted(
            ((self._ready_to_print(s) or self.now, i, s) for i, s in enumerate(self.stories)),
            key=lambda q: q[:2],
        )
        for ready, _, story in queue:
            self._print_and_hand_over(story, ready)
        self._plant_broker_phone()
        stock = self._blanks()
        with transaction.atomic():
            self._write(stock.write_blanks())
            stock.write_ledger(lambda story: story.application.number)
            self._plant_refused_proxy()
        return sum(bool(s.steps) for s in self.stories)

    # -- the stories ---------------------------------------------------------------------

    def _load_siak(self) -> None:
        """The backlog SIAK reported on the first morning: recorded, PRR, printed, issued."""
        applications_load_from_siak(at=_aware(self.start + dt.timedelta(hours=7, minutes=30)))
        loaded = CardApplication.objects.filter(
            loaded_from_siak=True, status__in=(S.RECORDED, S.PRINT_READY, S.PRINTED)
        )
        rng, desks, span = self.rng, self.desks, (self.now - self.start).days
        for application in loaded.order_by("pk"):
            story = Story(
                application.resident_id, application.kind, application.status, application
            )
            if application.status == S.RECORDED:
                # Central answers arrive all through the campaign; the latest are still due.
                at = desks.visit((self.start + _days(rng, 1, span + 8)).date())
                self._take(story, desks.step(at, "REK", S.PRINT_READY, CENTRAL_NOTE))
            self.stories.append(story)

    def _new_applicants(self) -> None:
        residents = (
            Resident.objects.with_eligibility()
            .filter(
                is_eligible=True,
                life_status=LifeStatus.ALIVE,
                nationality=Nationality.CITIZEN,
                siak_record_status=SiakRecordStatus.NOT_RECORDED,
                applications__isnull=True,
            )
            .values_list("pk", "phone")
            .order_by("pk")
        )
        rng, span = self.rng, (self.now - self.start).days
        arrivals = [
            (self.desks.visit((self.start + dt.timedelta(days=rng.randint(0, span))).date()), row)
            for row in residents
            if rng.random() < 0.85
        ]
        for at, (pk, phone) in sorted(arrivals):
            story = Story(pk, ApplicationKind.NEW, "", phone=phone_normalise(phone))
            if self._received(story, at) and story.status == S.VERIFIED:
                self._record(story)
            self.stories.append(story)

    def _replacements(self) -> None:
        """A few residents lost or damaged their card: the central system sends a PRR."""
        issued = (
            CardApplication.objects.filter(
                loaded_from_siak=True, status=S.ISSUED, resident__life_status=LifeStatus.ALIVE
            )
            .values_list("resident_id", "resident__phone")
            .order_by("pk")
        )
        rng, span = self.rng, (self.now - self.start).days
        for pk, phone in issued:
            if rng.random() >= 0.04:
                continue
            kind = ApplicationKind.LOST if rng.random() < 0.6 else ApplicationKind.DAMAGED
            story = Story(pk, kind, "", phone=phone_normalise(phone))
            at = self.desks.visit((self.start + dt.timedelta(days=rng.randint(0, span))).date())
            if self._received(story, at) and story.status == S.VERIFIED:
                prr = self.desks.visit((story.steps[-1].at + _days(rng, 1, 5)).date())
                self._take(story, self.desks.step(prr, "REK", S.PRINT_READY, CENTRAL_NOTE))
            self.stories.append(story)

    def _received(self, story: Story, at: dt.datetime) -> bool:
        """Berkas received and, unless found not genuine, checked complete by the same desk."""
        if not self._take(story, self.desks.step(at, "DAF", S.SUBMITTED)):
            return False
        clerk = story.steps[-1]
        checked = clerk.at + dt.timedelta(minutes=self.rng.randint(8, 25))
        if checked > self.now:
            return True
        if self.rng.random() < 0.02:
            note = "Kartu Keluarga yang ditunjukkan tidak sesuai data SIAK."
            story.steps.append(Step(S.REJECTED, checked, clerk.actor_id, clerk.assignment_id, note))
        else:
            story.steps.append(Step(S.VERIFIED, checked, clerk.actor_id, clerk.assignment_id))
        story.status = story.steps[-1].to_status
        return True

    def _record(self, story: Story) -> None:
        rng, desks = self.rng, self.desks
        at = self.recording.book(story.steps[-1].at + dt.timedelta(minutes=rng.randint(15, 90)))
        if not self._take(story, desks.step(at, "REK", S.RECORDED)):
            return
        answer = desks.visit((story.steps[-1].at + _days(rng, 2, 8)).date())
        roll = rng.random()
        if roll < 0.03:
            self._take(story, desks.step(answer, "REK", S.DUPLICATE, CENTRAL_NOTE))
        elif roll < 0.07 and self._take(
            story, desks.step(answer, "REK", S.ENROLL_FAILED, CENTRAL_NOTE)
        ):
            again = self.recording.book(desks.visit((answer + _days(rng, 1, 4)).date()))
            if self._take(story, desks.step(again, "REK", S.RECORDED, "Perekaman ulang")):
                answer = desks.visit((story.steps[-1].at + _days(rng, 2, 8)).date())
                self._take(story, desks.step(answer, "REK", S.PRINT_READY, CENTRAL_NOTE))
        else:
            self._take(story, desks.step(answer, "REK", S.PRINT_READY, CENTRAL_NOTE))

    def _ready_to_print(self, story: Story) -> dt.datetime | None:
        if story.status != S.PRINT_READY:
            return None
        # The backlog's first cards wait for the blanks to reach the stations that morning.
        ready = story.steps[-1].at if story.steps else self.start + dt.timedelta(hours=8)
        return ready + _days(self.rng, 0.1, 2)

    def _print_and_hand_over(self, story: Story, ready: dt.datetime) -> None:
        rng, desks = self.rng, self.desks
        if story.status == S.PRINT_READY:
            step = desks.step(self.printing.book(ready), "CTK", S.PRINTED)
            if not self._take(story, step):
                return
            story.station = rng.choice(["Mesin Cetak 1", "Mesin Cetak 2", "Mesin Cetak 3"])
        if story.status != S.PRINTED:
            return
        printed = story.steps[-1].at if story.steps else self.start
        collected = desks.visit((printed + dt.timedelta(days=rng.expovariate(1 / 6))).date())
        if step := desks.step(max(collected, printed), "SRH", S.ISSUED):
            self._take(story, step)
            story.handed_over_by, story.method = step.actor_id, rng.choice(METHODS)

    def _take(self, story: Story, step: Step | None) -> bool:
        if step is None:
            return False
        if story.steps and step.at <= story.steps[-1].at:
            step.at = story.steps[-1].at + dt.timedelta(minutes=self.rng.randint(5, 40))
            if step.at > self.now:
                return False
        if story.status and step.to_status not in allowed_moves(story.status):
            raise ValueError(f"{story.status} → {step.to_status}")
        story.steps.append(step)
        story.status = step.to_status
        return True

    def _plant_broker_phone(self) -> None:
        families, planted = set(), 0
        residents = dict(Resident.objects.values_list("pk", "kk_number"))
        for story in self.stories:
            kk = residents[story.resident_id]
            if story.application is None and story.steps and kk not in families:
                story.phone, planted = BROKER_PHONE, planted + 1
                families.add(kk)
            if planted == 4:
                return

    # -- storing ---------------------------------------------------------------------------

    def _blanks(self) -> StockHistory:
        stock = stock_history_start(
            start=_aware(self.start + dt.timedelta(hours=7)),
            city_delivery=_aware(
                self.desks.visit(self.start.date() + dt.timedelta(days=CITY_DELIVERY_DAY)).replace(
                    hour=9
                )
            ),
            keeper=self.keeper,
        )
        stations = {p.name: p for p in stock.printers}
        prints = sorted(
            (
                (s.steps[i].at, s, s.steps[i])
                for s in self.stories
                for i in range(len(s.steps))
                if s.steps[i].to_status == S.PRINTED
            ),
            key=lambda p: p[0],
        )
        burn = self.start + dt.timedelta(days=DESTRUCTION_DAY, hours=10)
        for at, story, step in prints:
            if burn and at > burn:
                stock.destroy(at=_aware(burn), approver=self.approver)
                burn = None
            station = stations[story.station]
            if self.rng.random() < SPOILAGE:
                stock.take(
                    at=_aware(at - dt.timedelta(minutes=self.rng.randint(6, 12))),
                    station=station,
                    actor_id=step.actor_id,
                    reference=story,
                    spoil_reason=self.rng.choice(SPOIL_REASONS),
                )
            story.serial = stock.take(
                at=_aware(at), station=station, actor_id=step.actor_id, reference=story
            )
            step.note = f"Blanko {story.serial} di {station}"
        return stock

    def _write(self, blank_ids: dict[str, int]) -> None:
        moved = [s for s in self.stories if s.steps]
        for story in moved:
            if story.application is None:
                story.application = CardApplication(
                    resident_id=story.resident_id,
                    kind=story.kind,
                    applicant_present=True,
                    phone=story.phone,
                    submitted_by_id=story.steps[0].actor_id,
                    submitted_at=_aware(story.steps[0].at),
                )
            application, previous = story.application, story.application.status
            story.froms = []
            for step in story.steps:
                story.froms.append(previous)
                self._arrive(application, step)
                previous = step.to_status
            if story.serial:
                application.blank_id = blank_ids[story.serial]
            if story.handed_over_by:
                application.handed_over_by_id = story.handed_over_by
                application.verification_method = story.method
                application.old_card_collected = story.kind in OLD_CARD_RETURNED
        self._plant_off_duty_step(moved)
        loaded = [s.application for s in moved if s.application.pk]
        # Small batches: an UPDATE … CASE over thousands of rows costs more than its rows.
        CardApplication.objects.bulk_update(
            loaded,
            [
                "status",
                "print_ready_at",
                "printed_at",
                "issued_at",
                "closed_at",
                "blank",
                "handed_over_by",
                "verification_method",
            ],
            batch_size=100,
        )
        CardApplication.objects.bulk_create(
            [s.application for s in moved if not s.application.pk], batch_size=1_000
        )
        ApplicationEvent.objects.bulk_create(
            (
                ApplicationEvent(
                    application=story.application,
                    from_status=from_status,
                    to_status=step.to_status,
                    actor_id=step.actor_id,
                    at=_aware(step.at),
                    assignment_id=step.assignment_id,
                    note=step.note,
                )
                for story in moved
                for from_status, step in zip(story.froms, story.steps, strict=True)
            ),
            batch_size=2_000,
        )
        DocumentCheck.objects.bulk_create(
            (d for s in moved if not s.application.loaded_from_siak for d in self._berkas(s)),
            batch_size=2_000,
        )

    @staticmethod
    def _arrive(application: CardApplication, step: Step) -> None:
        application_arrive(application, step.to_status, _aware(step.at))

    @staticmethod
    def _berkas(story: Story) -> list[DocumentCheck]:
        checked = next((s for s in story.steps if s.to_status == S.VERIFIED), None)
        return [
            DocumentCheck(
                application=story.application,
                kind=kind,
                present=True,
                verified_by_id=checked.actor_id if checked else None,
                verified_at=_aware(checked.at) if checked else None,
            )
            for kind in REQUIRED_DOCUMENTS[story.kind]
        ]

    def _plant_off_duty_step(self, moved: list[Story]) -> None:
        """One card handed over by a petugas who had no shift then: a step to look into."""
        story = next(
            (s for s in moved if s.handed_over_by and s.application.loaded_from_siak), None
        )
        if story is None or not (user_id := self.desks.off_duty_user(story.steps[-1].at, "SRH")):
            return
        step = story.steps[-1]
        step.actor_id = user_id
        step.assignment_id = None
        story.application.handed_over_by_id = step.actor_id

    def _plant_refused_proxy(self) -> None:
        """Someone from another family tried to collect a waiting card, and was refused."""
        story = next(
            (s for s in self.stories if s.status == S.PRINTED and s.application.printed_at), None
        )
        if story is None:
            return
        application = CardApplication.objects.select_related("resident").get(
            pk=story.application.pk
        )
        proxy = Resident.objects.exclude(kk_number=application.resident.kk_number).first()
        at = timezone.localtime(application.printed_at).replace(tzinfo=None)
        step = self.desks.step(at + dt.timedelta(hours=2), "SRH", S.ISSUED)
        if step is None:
            return
        HandoverRefusal.objects.create(
            application=application,
            at=_aware(step.at),
            actor_id=step.actor_id,
            proxy_name=proxy.full_name,
            proxy_nik=proxy.nik,
            reason=proxy_refusal(application, proxy.nik, False),
        )


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment)
