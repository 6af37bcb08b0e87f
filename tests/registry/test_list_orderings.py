"""The big lists never sort the table: each ordering they offer ends in a unique field, and an
index serves it; the queries per page do not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dukcapil import roles
from registry.models import ApplicationStatus, District, Village
from tests.registry.factories import make_resident, nik_for

RESIDENTS = "/admin/registry/resident/"
APPLICATIONS = "/admin/registry/cardapplication/"
QUEUE = "/admin/registry/collectionqueueentry/"
DESKS = [
    roles.SUPERVISOR,
    roles.REGISTRATION,
    roles.RECORDING,
    roles.PRINTING,
    roles.HANDOVER,
]
# Each list as the role that works it, and its kecamatan and kelurahan filters.
LISTS = [
    (RESIDENTS, roles.SUPERVISOR, "village__district__id__exact", "village__id__exact"),
    *(
        (
            APPLICATIONS,
            role,
            "resident__village__district__id__exact",
            "resident__village__id__exact",
        )
        for role in DESKS
    ),
    (
        QUEUE,
        roles.HANDOVER,
        "resident__village__district__id__exact",
        "resident__village__id__exact",
    ),
]
UNIQUE = {"id", "pk", "nik"}


def _sign_in(client, make_user, role):
    client.force_login(make_user(role))


def _changelist(client, url, params=""):
    response = client.get(f"{url}?{params}" if params else url)
    assert response.status_code == 200
    return response.context_data["cl"]


def _orderings(client, url):
    """The address of the default ordering and of every column the list offers, both ways."""
    changelist = _changelist(client, url)
    offered = [
        index
        for index, name in enumerate(changelist.list_display)
        if name in changelist.sortable_by
    ]
    return ["", *(f"o={sign}{index}" for index in offered for sign in ("", "-"))]


def _sorts(queryset) -> list[str]:
    """The Sort nodes of the plan of one page, with sorting made as costly as PostgreSQL allows:
    any left can only be because no index serves the ordering."""
    sql, params = queryset[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    nodes, found = [plan[0]["Plan"]], []
    while nodes:
        node = nodes.pop()
        nodes.extend(node.get("Plans", []))
        if "Sort" in node["Node Type"]:
            found.append(node["Node Type"])
    return found


@pytest.mark.parametrize(("url", "role", "kecamatan", "kelurahan"), LISTS)
def test_it_orders_every_list_and_sortable_column_by_a_unique_last_field(
    client, make_user, url, role, kecamatan, kelurahan
):
    _sign_in(client, make_user, role)

    for params in _orderings(client, url):
        order_by = _changelist(client, url, params).queryset.query.order_by

        assert order_by[-1].lstrip("-") in UNIQUE, (params, order_by)


@pytest.mark.parametrize(("url", "role", "kecamatan", "kelurahan"), LISTS)
def test_it_serves_every_ordering_and_filter_of_a_list_from_an_index(
    client, make_user, on_postgres, url, role, kecamatan, kelurahan
):
    if not on_postgres:
        pytest.skip("the plans are PostgreSQL's")
    _sign_in(client, make_user, role)
    district = District.objects.get(code="53.71.04")
    village = Village.objects.filter(district=district).first()
    filters = ["", f"{kecamatan}={district.pk}", f"{kelurahan}={village.pk}"]

    for params in _orderings(client, url):
        for where in filters:
            address = "&".join(p for p in (params, where) if p)
            changelist = _changelist(client, url, address)

            assert _sorts(changelist.queryset) == [], address


def test_it_sorts_by_one_column_with_the_default_order_as_tie_breaker(client, make_user):
    _sign_in(client, make_user, roles.SUPERVISOR)
    born = _changelist(client, RESIDENTS).list_display.index("birth_date")
    village = _changelist(client, RESIDENTS).list_display.index("village")

    # A second column asked for in the address would need an index of its own: it is ignored.
    descending = _changelist(client, RESIDENTS, f"o=-{born}.{village}").queryset.query.order_by
    by_village = _changelist(client, RESIDENTS, f"o={village}").queryset.query.order_by

    assert descending == ("-birth_date", "-full_name", "-id")
    # By the kelurahan's own column, not by a join to the kelurahan's names.
    assert by_village == ("village_id", "full_name", "id")


def test_it_does_not_sort_by_a_column_it_does_not_offer(client, make_user):
    _sign_in(client, make_user, roles.SUPERVISOR)
    sex = _changelist(client, RESIDENTS).list_display.index("sex")

    order_by = _changelist(client, RESIDENTS, f"o={sex}").queryset.query.order_by

    assert order_by == ("full_name", "id")


def test_it_does_not_sort_a_masked_role_by_nik_kk_or_birth_date(client, make_user):
    _sign_in(client, make_user, roles.PRINTING)
    changelist = _changelist(client, RESIDENTS)
    masked = [
        index
        for index, name in enumerate(changelist.list_display)
        if name in ("nik_masked", "kk_number_masked", "birth_date_masked")
    ]

    orders = {
        _changelist(client, RESIDENTS, f"o={sign}{index}").queryset.query.order_by
        for index in masked
        for sign in ("", "-")
    }

    assert len(masked) == 3
    assert orders == {("full_name", "id")}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _residents(first: int, count: int):
    return [
        make_resident(nik=nik_for(serial), full_name=f"PENDUDUK {serial:03d}")
        for serial in range(first, first + count)
    ]


def test_it_lists_residents_with_as_many_queries_for_more_rows(client, make_user):
    _sign_in(client, make_user, roles.SUPERVISOR)
    _residents(1, 2)
    few = _queries(client, RESIDENTS)

    _residents(3, 10)

    assert _queries(client, RESIDENTS) == few


def test_it_lists_applications_and_the_queue_with_as_many_queries_for_more_rows(
    client, staff, apply, advance, stock_in
):
    stock_in("KTP0001-KTP0012")
    for resident in _residents(1, 2):
        advance(apply(resident), ApplicationStatus.PRINTED)
    pages = [(staff["supervisor"], APPLICATIONS), (staff["handover"], QUEUE)]
    few = []
    for user, url in pages:
        client.force_login(user)
        few.append(_queries(client, url))

    for resident in _residents(3, 10):
        advance(apply(resident), ApplicationStatus.PRINTED)

    for (user, url), count in zip(pages, few, strict=True):
        client.force_login(user)
        assert _queries(client, url) == count, url
