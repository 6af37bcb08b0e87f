"""The roster page: every role reads it, only the Kepala Seksi changes it."""

import datetime as dt

import pytest

from dukcapil.roles import ROLE_PERMISSIONS
from shifts.models import Amendment, Assignment, RosterStatus

ROLES = list(ROLE_PERMISSIONS)


@pytest.fixture
def roster(make_staff, make_roster, require):
    for n in range(6):
        make_staff(f"Petugas {n}", posts=("REK",))
    require("P", "REK", 1)
    require("M", "REK", 1)
    return make_roster(dt.date(2020, 1, 6), dt.date(2020, 1, 12))


def url(roster, name: str) -> str:
    return f"/admin/shifts/roster/{roster.pk}/{name}/"


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_the_roster_grid(client, make_user, roster, role):
    client.force_login(make_user(role, username="peran"))
    response = client.get(url(roster, "jadwal"))
    assert response.status_code == 200
    assert "Petugas 0" in response.content.decode()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "Kepala Seksi"])
def test_other_roles_cannot_generate_or_publish(client, make_user, roster, role):
    client.force_login(make_user(role, username="peran"))
    assert client.post(url(roster, "susun")).status_code == 403
    assert client.post(url(roster, "terbitkan")).status_code == 403
    assert not Assignment.objects.exists()


def test_the_kepala_seksi_generates_sees_gaps_and_publishes(client, supervisor, roster, require):
    require("S", "AWS", 1)  # nobody is a Pengawas: seven gaps
    client.force_login(supervisor)
    response = client.post(url(roster, "susun"), follow=True)
    page = response.content.decode()
    assert "Jadwal disusun: 14 tugas shift, 7 kekurangan petugas" in page
    assert 'id="coverage-gaps"' in page and "Pengawas: terisi 0 dari 1" in page
    assert 'class="shift-M"' in page

    client.post(url(roster, "terbitkan"), {"confirmed": "1"})
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED


def test_a_published_roster_changes_through_the_amendment_form(client, supervisor, roster, shift):
    client.force_login(supervisor)
    client.post(url(roster, "susun"))
    client.post(url(roster, "terbitkan"), {"confirmed": "1"})
    assignment = Assignment.objects.filter(shift_type=shift["P"]).first()
    form = {"staff": assignment.staff_id, "day": assignment.date.isoformat(), "reason": ""}

    page = client.post(url(roster, "ubah"), form, follow=True).content.decode()
    assert "wajib disertai alasan" in page
    assert Assignment.objects.filter(pk=assignment.pk).exists()

    client.post(url(roster, "ubah"), {**form, "reason": "Sakit mendadak"})
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert Amendment.objects.get().actor == supervisor


def test_the_export_is_an_xlsx_named_after_the_period(client, make_user, roster):
    client.force_login(make_user("Operator Cetak", username="cetak"))
    response = client.get(url(roster, "unduh"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "jadwal-dinas-2020-01-06" in response["Content-Disposition"]


def test_a_kepala_seksi_creates_next_months_roster_from_the_add_form(client, supervisor):
    client.force_login(supervisor)
    form = client.get("/admin/shifts/roster/add/").context["adminform"].form
    start = form.initial["period_start"]
    assert start.day == 1 and start > dt.date.today().replace(day=1)
    response = client.post(
        "/admin/shifts/roster/add/",
        {"period_start": start.isoformat(), "period_end": form.initial["period_end"].isoformat()},
    )
    assert response.status_code == 302 and response["Location"].endswith("/jadwal/")


def test_the_grid_page_reads_a_month_in_a_fixed_number_of_queries(
    client, supervisor, roster, django_assert_max_num_queries
):
    client.force_login(supervisor)
    client.post(url(roster, "susun"))
    # The legend reads the shift types and the posts: two queries, whatever the month.
    with django_assert_max_num_queries(14):
        assert client.get(url(roster, "jadwal")).status_code == 200
