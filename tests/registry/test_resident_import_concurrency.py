import threading

import pytest
from django.db import connection

from registry.models import Resident
from registry.services.resident_import import resident_import
from tests.registry.factories import nik_for, siak_row, table_of


@pytest.mark.postgres
@pytest.mark.usefixtures("reference_data")
def test_two_clerks_importing_the_same_file_at_once_insert_each_person_once():
    table = table_of([siak_row(NIK=nik_for(i)) for i in range(1, 51)])
    errors = []
    barrier = threading.Barrier(2)

    def work():
        try:
            barrier.wait()
            resident_import(table=table, actor=None)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Resident.objects.count() == 50
    assert Resident.history.model.objects.count() == 50
