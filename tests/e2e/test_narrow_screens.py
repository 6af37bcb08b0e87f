"""A 1024 px desk screen: the lists fit without sideways scrolling, the roster grid scrolls
inside itself with the staff column in view."""

import datetime as dt

import pytest
from django.apps import apps

from registry.lifecycle import REQUIRED_DOCUMENTS
from registry.services.applications import application_submit
from shifts.models import Post, ShiftType, Staff
from shifts.reference import reference_load
from shifts.services import assignment_set, roster_create
from tests.registry.factories import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

PASSWORD = "rahasia-uji-123"
NARROW = {"width": 1024, "height": 768}


@pytest.fixture
def narrow(browser, live_server, make_user):
    make_user("Kepala Seksi", username="kasi")
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Makassar", viewport=NARROW)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "kasi")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    yield page
    context.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_application_list_shows_number_name_status_and_age_at_1024_px(
    narrow, live_server, make_user
):
    clerk = make_user("Petugas Pendaftaran", username="loket")
    for n in range(1, 6):
        application_submit(
            resident=make_resident(
                nik=f"53710127019000{n:02d}",
                full_name=f"MARIA MAGDALENA KRISTIANI NDOLU MANAFE {n}",
                address="JL. PROF. DR. HERMAN JOHANNES NO. 125, GANG MAWAR",
            ),
            kind="luar_domisili",
            actor=clerk,
            applicant_present=True,
            documents_present=REQUIRED_DOCUMENTS["luar_domisili"],
        )
    narrow.goto(f"{live_server.url}/admin/registry/cardapplication/")

    assert _scroll_width(narrow) <= 1024
    shown = narrow.locator("#changelist .results").bounding_box()
    for column in ("number", "name", "status", "age"):
        header = narrow.locator(f"#result_list th.column-{column}")
        box = header.bounding_box()
        assert header.is_visible(), column
        assert shown["x"] <= box["x"] and box["x"] + box["width"] <= shown["x"] + shown["width"]
    assert narrow.locator("#result_list tbody tr").count() == 5


def test_the_roster_grid_scrolls_inside_itself_and_keeps_the_staff_column(
    narrow, live_server, django_user_model
):
    reference_load(apps)  # the flush of transactional tests removed the migration's rows
    morning, recording = ShiftType.objects.get(code="P"), Post.objects.get(code="REK")
    supervisor = django_user_model.objects.get(username="kasi")
    roster = roster_create(
        period_start=dt.date(2020, 3, 1), period_end=dt.date(2020, 3, 31), actor=supervisor
    )
    for n in range(3):
        staff = Staff.objects.create(nip=f"19850412201003100{n + 1}", name=f"PETUGAS JAGA {n + 1}")
        staff.posts.add(recording)
        for day in (1, 15, 31):
            assignment_set(
                roster=roster,
                day=dt.date(2020, 3, day),
                staff=staff,
                shift_type=morning,
                post=recording,
                actor=supervisor,
            )
    narrow.goto(f"{live_server.url}/admin/shifts/roster/{roster.pk}/jadwal/")

    assert _scroll_width(narrow) <= 1024
    scroller = narrow.locator("#roster-scroll")
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    scroller.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    staff_cell = narrow.locator("#roster-grid tbody th.staff").first
    box, frame = staff_cell.bounding_box(), scroller.bounding_box()
    assert "PETUGAS JAGA 1" in staff_cell.inner_text()
    assert abs(box["x"] - frame["x"]) <= 1
    legend = narrow.locator("#post-legend").inner_text()
    for code in ("AWS", "REK", "DAF", "CTK", "SRH"):
        assert code in legend
