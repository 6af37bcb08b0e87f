import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone

from registry.models import ApplicationEvent, ApplicationStatus, Campaign, CardApplication
from shifts.reference import reference_load
from tests.registry.factories import make_resident

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("reference_data")]

S = ApplicationStatus
PASSWORD = "rahasia-uji-123"


@pytest.fixture
def campaign_under_way(make_user):
    """A campaign on its day 20: 14 cards issued over the last week, target 100."""
    reference_load(apps)  # shift types for the planner, removed by the flush
    clerk = make_user("Petugas Penyerahan", username="penyerahan")
    today = timezone.localdate()
    Campaign.objects.create(
        name="Percepatan KTP-el Kota Kupang",
        target=100,
        start=today - dt.timedelta(days=20),
        end=today + dt.timedelta(days=70),
    )
    application = CardApplication.objects.create(
        resident=make_resident(),
        kind="baru",
        status=S.RECORDED,
        applicant_present=True,
        submitted_by=clerk,
        submitted_at=timezone.now() - dt.timedelta(days=19),
    )
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application=application,
            from_status=S.PRINTED,
            to_status=S.ISSUED,
            actor=clerk,
            at=timezone.now() - dt.timedelta(days=3),
        )
        for _ in range(14)
    )
    return today


def test_the_kepala_seksi_reads_the_campaign_and_tries_a_what_if(
    page, live_server, make_user, campaign_under_way, accessibility
):
    make_user("Kepala Seksi", username="kasi")
    page.goto(f"{live_server.url}/admin/")
    page.fill("#id_username", "kasi")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.get_by_role("heading", name="Kemajuan terhadap target").wait_for()
    chart = page.get_by_role("img", name="Kemajuan kumulatif kampanye")
    assert chart.is_visible()
    assert page.locator("polyline.chart-issued").count() == 1
    # 86 left at 2 a day: 43 days from today.
    projected = campaign_under_way + dt.timedelta(days=43)
    assert page.locator("#perkiraan-selesai").inner_text().endswith(str(projected.year))
    assert str(projected.day) in page.locator("#perkiraan-selesai").inner_text()
    accessibility(page)

    page.get_by_role("link", name="Perencana kapasitas").click()
    page.get_by_role("heading", name="Bagaimana jika").wait_for()
    page.fill("#id_extra_printers", "1")
    page.select_option("#id_extra_shift", "M")
    page.select_option("#id_extra_post", "recording")
    page.fill("#id_extra_staff", "2")
    page.fill("#id_blanks_quantity", "15000")
    page.fill("#id_blanks_date", (campaign_under_way + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Hitung").click()

    page.locator("#target-jika").wait_for()
    assert page.get_by_role("columnheader", name="Bagaimana jika").is_visible()
    assert page.locator("#hambatan-jika").inner_text() in ("Perekaman", "Pencetakan", "Blanko")
    accessibility(page)
