import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "url_name", "status"),
    [
        ("Pengelola Blanko", "admin:stock_receipt_add", 200),
        ("Pengelola Blanko", "admin:stock_blank_transfer", 200),
        ("Pengelola Blanko", "admin:stock_receipt_import", 200),
        ("Operator Cetak", "admin:stock_receipt_import", 403),
        ("Pengelola Blanko", "admin:stock_blank_adjust", 403),
        ("Pengelola Blanko", "admin:stock_location_add", 403),
        ("Operator Cetak", "admin:stock_blank_spoil", 200),
        ("Operator Cetak", "admin:stock_blank_transfer", 403),
        ("Operator Cetak", "admin:stock_receipt_add", 403),
        ("Operator Cetak", "admin:stock_movement_changelist", 403),
        ("Kepala Seksi", "admin:stock_blank_adjust", 200),
        ("Kepala Seksi", "admin:stock_receipt_add", 403),
        ("Administrator", "admin:stock_location_add", 200),
        ("Administrator", "admin:stock_budgetline_add", 200),
        ("Administrator", "admin:stock_blank_changelist", 403),
        ("Petugas Pendaftaran", "admin:stock_blank_changelist", 403),
    ],
)
def test_each_role_reaches_only_its_stock_pages(client, make_user, role, url_name, status):
    client.force_login(make_user(role))
    assert client.get(reverse(url_name)).status_code == status


def test_only_the_supervisor_may_approve(make_user):
    assert make_user("Kepala Seksi").has_perm("stock.approve_dailyclosing")
    assert make_user("Kepala Seksi", "kasi2").has_perm("stock.approve_destruction")
    assert not make_user("Pengelola Blanko").has_perm("stock.approve_dailyclosing")


def test_the_ledger_export_needs_its_permission(client, make_user):
    client.force_login(make_user("Operator Cetak"))
    assert client.get(reverse("admin:stock_movement_export", args=["csv"])).status_code == 403
