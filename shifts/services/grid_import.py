"""Reading an edited "jadwal dinas" grid back into a draft roster: all or nothing."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from dukcapil.spreadsheets import HeaderRow, read_table
from shifts.models import Assignment, Post, Roster, ShiftType, Staff
from shifts.resources import FIXED_HEADERS, LEAVE, OFF, parse_date_header
from shifts.rules import Slot, day_text, person_violations
from shifts.services import context
from shifts.services.rosters import require_supervisor, roster_lock, staff_lock


@transaction.atomic
def roster_grid_import(
    *, roster: Roster, data: bytes, filename: str, actor: AbstractBaseUser
) -> int:
    """Replace a draft roster with the grid's assignments; every bad cell is reported at once
    (person and date) and then nothing is saved. Returns the number of assignments."""
    require_supervisor(actor)
    roster = roster_lock(roster)
    if roster.is_published:
        raise ValidationError(f"{roster} sudah diterbitkan; perubahan hanya lewat amandemen.")
    table = read_table(data, filename, HeaderRow(tuple(FIXED_HEADERS)))
    table.refuse_bad_cells()
    errors: list[str] = []
    if table.headers[:2] != FIXED_HEADERS:
        raise ValidationError("Dua kolom pertama harus NIP dan NAMA.")
    columns: list[tuple[int, dt.date]] = []
    for index, header in enumerate(table.headers[2:], start=2):
        day = parse_date_header(header)
        if day is None or not roster.period_start <= day <= roster.period_end:
            errors.append(f"Kolom {header!r}: bukan tanggal dalam periode {roster}.")
        else:
            columns.append((index, day))

    shifts = {s.code.upper(): s for s in ShiftType.objects.all()}
    posts = {p.code.upper(): p for p in Post.objects.all()}
    nips = [str(row[0]).strip() for row in table.rows]
    staff_by_nip = {s.nip: s for s in Staff.objects.filter(nip__in=nips)}
    staff_lock(s.pk for s in staff_by_nip.values())
    start, end = roster.period_start - context.MARGIN, roster.period_end + context.MARGIN
    persons = context.people(staff_by_nip.values(), start, end)
    wanted: dict[int, list[Slot]] = defaultdict(list)
    seen: set[str] = set()
    for number, nip, row in zip(table.row_numbers, nips, table.rows, strict=True):
        staff = staff_by_nip.get(nip)
        if staff is None:
            errors.append(f"Baris {number}: NIP {nip} ({row[1]}) tidak terdaftar sebagai petugas.")
            continue
        if nip in seen:
            errors.append(f"Baris {number}: {staff.name} (NIP {nip}) muncul lebih dari sekali.")
            continue
        seen.add(nip)
        person = persons[staff.pk]
        for index, day in columns:
            code = str(row[index]).strip().upper()
            if code in ("", OFF, LEAVE):
                continue
            where = f"{staff.name} (NIP {nip}), {day_text(day)}"
            shift_code, _, post_code = code.partition("/")
            shift = shifts.get(shift_code.strip())
            if shift is None:
                errors.append(f"{where}: kode '{code}' tidak dikenal (gunakan P, S, M, L atau C).")
                continue
            if not post_code and len(person.qualified) == 1:
                post_id = next(iter(person.qualified))
            elif post := posts.get(post_code.strip()):
                post_id = post.pk
            else:
                errors.append(
                    f"{where}: sebutkan pos yang dikenal setelah kode shift, mis. "
                    f"{shift.code}/{next(iter(posts), 'REK')}."
                )
                continue
            wanted[staff.pk].append(Slot(day, shift, post_id))

    staff_ids = [s.pk for s in staff_by_nip.values()]
    around = context.slots(staff_ids, start, end, leave_out=roster)
    for staff_id in staff_ids:
        schedule = [*around[staff_id], *wanted[staff_id]]
        errors += [
            v.message for v in person_violations(persons[staff_id], schedule, focus=roster.days())
        ]
    if errors:
        raise ValidationError(errors)
    roster.assignments.all().delete()
    created = Assignment.objects.bulk_create(
        Assignment(
            roster=roster, staff_id=staff_id, date=s.date, shift_type=s.shift, post_id=s.post_id
        )
        for staff_id, slots in wanted.items()
        for s in slots
    )
    return len(created)
