import csv
import io
from dataclasses import replace

import psycopg
import pytest
from django.db import OperationalError
from django.urls import reverse

from stock.admin import blanks as blanks_admin
from stock.models import Blank, BlankStatus, DailyClosing, Destruction, Movement, Receipt
from stock.services import blank_spoil

pytestmark = pytest.mark.django_db


def test_a_keeper_records_a_receipt_through_the_form(client, keeper, store):
    client.force_login(keeper)
    response = client.post(
        reverse("admin:stock_receipt_add"),
        {
            "received_on": "2020-01-27",
            "source": "apbn",
            "reference": "BAST-7/2020",
            "quantity": "100",
            "location": store.pk,
            "serials": "KTP0001000–KTP0001099",
            "unit_cost": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Receipt.objects.get().quantity == 100
    assert Blank.objects.filter(location=store).count() == 100


def _serial_file(text: str, name: str = "seri.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return upload


def _import_details(store, quantity: int):
    return {
        "received_on": "2020-01-27",
        "source": "provinsi",
        "reference": "BAST-8",
        "quantity": str(quantity),
        "location": store.pk,
        "unit_cost": "0",
    }


def test_a_serial_list_is_imported_after_a_preview(client, keeper, store):
    client.force_login(keeper)
    preview = client.post(
        reverse("admin:stock_receipt_import"),
        _import_details(store, 3)
        | {"import_file": _serial_file("NO_SERI\nKTP0500\nKTP0501\nKTP0777\n")},
    )
    page = preview.content.decode()
    assert "Blanko yang akan dicatat: <strong>3</strong>" in page
    assert not Blank.objects.exists()

    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(reverse("admin:stock_receipt_process_import"), data)
    assert response.status_code == 302
    assert sorted(Blank.objects.values_list("serial", flat=True)) == [
        "KTP0500",
        "KTP0501",
        "KTP0777",
    ]
    assert Receipt.objects.get().reference == "BAST-8"


def test_an_imported_list_with_registered_serials_is_refused_whole(client, keeper, store, receive):
    receive("KTP0001-KTP0010")
    client.force_login(keeper)
    preview = client.post(
        reverse("admin:stock_receipt_import"),
        _import_details(store, 2) | {"import_file": _serial_file("NO_SERI\nKTP0011\nKTP0003\n")},
    )
    page = preview.content.decode()
    assert "1 nomor seri sudah terdaftar" in page and "KTP0003" in page
    assert "confirm_form" not in preview.context or not preview.context["confirm_form"]
    assert Blank.objects.count() == 10


def test_a_receipt_of_existing_serials_shows_them_on_the_form(client, keeper, store, receive):
    receive("KTP0001-KTP0010")
    client.force_login(keeper)
    response = client.post(
        reverse("admin:stock_receipt_add"),
        {
            "received_on": "2020-01-27",
            "source": "apbn",
            "reference": "BAST-9",
            "quantity": "11",
            "location": store.pk,
            "serials": "KTP0010-KTP0020",
            "unit_cost": "0",
        },
    )
    assert response.status_code == 200
    assert "1 nomor seri sudah terdaftar" in response.content.decode()
    assert Receipt.objects.count() == 1


def test_the_transfer_page_moves_a_range(client, keeper, store, printer, receive):
    receive("KTP0001-KTP0200")
    client.force_login(keeper)
    response = client.post(
        reverse("admin:stock_blank_transfer"),
        {
            "serials": "KTP0001-KTP0100",
            "from_location": store.pk,
            "to_location": printer.pk,
        },
    )
    assert response.status_code == 302
    assert Blank.objects.filter(location=printer).count() == 100
    page = client.get(reverse("admin:stock_location_changelist")).content.decode()
    assert "Mesin Cetak 1" in page


def test_blank_search_is_by_exact_serial(client, keeper, receive):
    receive()
    client.force_login(keeper)
    url = reverse("admin:stock_blank_changelist")
    assert "KTP0003" in client.get(url, {"q": "ktp0003"}).content.decode()
    assert "KTP0003" not in client.get(url, {"q": "KTP000"}).content.decode()


def test_nobody_can_change_or_delete_ledger_entries_in_the_admin(client, make_user, receive):
    receive()
    entry = Movement.objects.first()
    client.force_login(make_user("Kepala Seksi"))
    assert client.get(reverse("admin:stock_movement_changelist")).status_code == 200
    assert client.post(reverse("admin:stock_movement_delete", args=[entry.pk])).status_code == 403
    change = client.post(
        reverse("admin:stock_movement_change", args=[entry.pk]), {"note": "diubah"}
    )
    assert change.status_code == 403
    assert client.get(reverse("admin:stock_movement_add")).status_code == 403
    assert Movement.objects.get(pk=entry.pk).note == ""


def test_a_superuser_cannot_edit_the_ledger_either(admin_client, receive):
    receive()
    entry = Movement.objects.first()
    url = reverse("admin:stock_movement_delete", args=[entry.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Movement.objects.count() == 10


def test_the_ledger_exports_as_csv(client, make_user, receive):
    receive()
    client.force_login(make_user("Kepala Seksi"))
    response = client.get(reverse("admin:stock_movement_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Waktu", "Jenis", "Nomor seri"]
    assert len(rows) == 11


def test_the_monthly_usage_report_exports(client, keeper, receive, store):
    receive()
    blank_spoil(
        serial="KTP0001", location=store, reason="gagal_cetak", actor=keeper, note="Kotak basah"
    )
    client.force_login(keeper)
    response = client.get(reverse("admin:stock_movement_usage", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    today = [r for r in rows[1:] if r[2] == "10"]
    assert today and today[0][1:] == ["0", "10", "0", "1", "0", "0", "9"]


def test_a_closing_is_made_and_approved_in_the_admin(client, keeper, make_user, receive, store):
    receive()
    client.force_login(keeper)
    from django.utils import timezone

    response = client.post(
        reverse("admin:stock_dailyclosing_add"),
        {"location": store.pk, "day": timezone.localdate().isoformat(), "physical_count": "10"},
    )
    assert response.status_code == 302
    closing = DailyClosing.objects.get()
    client.force_login(make_user("Kepala Seksi"))
    client.post(
        reverse("admin:stock_dailyclosing_changelist"),
        {"action": "approve_selected", "_selected_action": [closing.pk]},
    )
    closing.refresh_from_db()
    assert closing.approved_at is not None


def test_a_destruction_record_prints_its_serials(client, keeper, receive, store):
    receive()
    blank_spoil(
        serial="KTP0004", location=store, reason="tanpa_chip", actor=keeper, note="Kotak basah"
    )
    client.force_login(keeper)
    from django.utils import timezone

    response = client.post(
        reverse("admin:stock_destruction_add"),
        {
            "destroyed_on": timezone.localdate().isoformat(),
            "method": "Dibakar",
            "witnesses": "A — Saksi\nB — Saksi",
            "serials": "KTP0004",
            "returned_old_cards": "3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = Destruction.objects.get()
    page = client.get(reverse("admin:stock_destruction_print", args=[record.pk])).content.decode()
    assert "BERITA ACARA PEMUSNAHAN" in page and "KTP0004" in page
    assert Blank.objects.get(serial="KTP0004").status == BlankStatus.DESTROYED


def test_the_forecast_shows_on_the_budget_page(client, make_user):
    client.force_login(make_user("Kepala Seksi"))
    response = client.get(reverse("admin:stock_budgetline_changelist"))
    assert response.status_code == 200
    assert "Prakiraan stok blanko" in response.content.decode()


@pytest.mark.parametrize(
    "model",
    ["location", "budgetline", "receipt", "blank", "movement", "destruction", "dailyclosing"],
)
def test_every_stock_list_opens_for_the_supervisor(client, make_user, receive, model):
    receipt = receive()
    client.force_login(make_user("Kepala Seksi"))
    assert client.get(reverse(f"admin:stock_{model}_changelist")).status_code == 200
    detail = client.get(reverse("admin:stock_receipt_change", args=[receipt.pk]))
    assert detail.status_code == 200 and "KTP0001" in detail.content.decode()


@pytest.mark.parametrize(
    "error", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure]
)
def test_a_deadlock_in_a_stock_service_asks_the_clerk_to_try_again(
    client, keeper, store, receive, monkeypatch, error
):
    receive()

    def conflicted(**kwargs):
        try:
            raise error("deadlock detected")
        except psycopg.Error as cause:
            raise OperationalError("deadlock detected") from cause

    monkeypatch.setattr(
        blanks_admin, "SPOIL_PAGE", replace(blanks_admin.SPOIL_PAGE, service=conflicted)
    )
    client.force_login(keeper)
    response = client.post(
        reverse("admin:stock_blank_spoil"),
        {"serials": "KTP0001", "location": store.pk, "reason": "rusak_fisik", "note": "Basah"},
    )
    assert response.status_code == 200
    assert "Sedang ramai, coba lagi" in response.content.decode()
