"""/cek-ktp/ is rate-limited: per address per minute and per NIK per day, each answered with
HTTP 429 in Indonesian, and each refusal logged."""

import pytest
from django.test import override_settings

from registry.models import LookupOutcome, StatusLookup
from tests.registry.test_status_lookup import counters  # noqa: F401 — a fresh locmem cache

pytestmark = pytest.mark.django_db

URL = "/cek-ktp/"


def _ask(client, nik="5371012701900001", address="10.0.0.1"):
    return client.post(URL, {"nik": nik, "tanggal_lahir": "27-01-1990"}, REMOTE_ADDR=address)


@override_settings(DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE=10, DUKCAPIL_LOOKUPS_PER_NIK_DAY=100)
def test_more_than_ten_lookups_a_minute_from_one_address_get_429(client, resident):
    niks = [f"53710127019{n:05d}" for n in range(1, 12)]
    answers = [_ask(client, nik=nik).status_code for nik in niks]

    assert answers == [200] * 10 + [429]
    refused = _ask(client, nik=niks[0])
    assert refused.status_code == 429
    assert "Terlalu banyak pencarian dari perangkat ini" in refused.content.decode()
    assert "Belum ada permohonan" not in refused.content.decode()
    assert _ask(client, address="10.0.0.2").status_code == 200  # another address still may
    assert StatusLookup.objects.filter(outcome=LookupOutcome.ADDRESS_LIMIT).count() == 2


@override_settings(DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE=100, DUKCAPIL_LOOKUPS_PER_NIK_DAY=5)
def test_more_than_five_lookups_a_day_of_one_nik_get_429_from_any_address(client, resident):
    answers = [_ask(client, address=f"10.0.1.{n}").status_code for n in range(1, 7)]

    assert answers == [200] * 5 + [429]
    refused = _ask(client, address="10.9.9.9")
    assert refused.status_code == 429
    assert "NIK ini sudah dicek 5 kali hari ini" in refused.content.decode()
    assert _ask(client, nik="5371012701900002").status_code == 200
    assert StatusLookup.objects.filter(outcome=LookupOutcome.NIK_LIMIT).count() == 2


@override_settings(DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE=1, DUKCAPIL_LOOKUPS_PER_NIK_DAY=1)
def test_the_limit_counts_unknown_and_known_niks_alike(client, resident):
    assert _ask(client, nik="5371012701900009", address="10.0.2.1").status_code == 200
    assert _ask(client, nik="5371012701900009", address="10.0.2.2").status_code == 429
    assert _ask(client, address="10.0.2.3").status_code == 200
    assert _ask(client, address="10.0.2.4").status_code == 429


@override_settings(DUKCAPIL_LOOKUPS_PER_ADDRESS_MINUTE=1)
def test_bad_input_does_not_use_up_the_limit(client, resident):
    for _ in range(3):
        assert _ask(client, nik="123").status_code == 200
    assert _ask(client).status_code == 200
