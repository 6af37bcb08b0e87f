from functools import partial

import pytest

from registry.models import Resident
from registry.services.resident_import import resident_import
from tests.registry.factories import nik_for, siak_row, table_of
from tests.threads import results_together


@pytest.mark.postgres
@pytest.mark.usefixtures("reference_data")
def test_two_clerks_importing_the_same_file_at_once_insert_each_person_once():
    table = table_of([siak_row(NIK=nik_for(i)) for i in range(1, 51)])
    _, errors = results_together(
        partial(resident_import, table=table, actor=None),
        partial(resident_import, table=table, actor=None),
    )
    assert errors == []
    assert Resident.objects.count() == 50
    assert Resident.history.model.objects.count() == 50
