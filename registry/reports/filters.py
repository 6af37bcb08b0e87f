"""The filters of the report pages (django-filter): period, region, shift, post, status,
operator and month, each applied to the rows a report aggregates.

A report reads ``filterset.qs`` for the rows its filters select and ``cleaned_data`` for the
choices that are not row filters (the month, what to group by). An unfilled period is the
current month.
"""

import datetime as dt

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from dukcapil.days import MONTH_FORMAT, day_start, month_end, month_start, parse_month
from registry.models import (
    OPEN_STATUSES,
    ApplicationEvent,
    CardApplication,
    District,
    Village,
)
from shifts.models import Assignment, Post, ShiftType
from stock.models import Destruction, Movement

MAX_PERIOD_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class MonthField(forms.Field):
    """A month typed as 2020-02 (the browser's month picker sends that form)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2020-02"})
    default_error_messages = {"invalid": "Tulis bulan sebagai TTTT-BB, misalnya 2020-02."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_month(value)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value):
        return value.strftime(MONTH_FORMAT) if isinstance(value, dt.date) else value


def keep_all(queryset, name, value):
    """For a choice that shapes the report rather than selecting its rows."""
    return queryset


class MonthFilter(filters.Filter):
    field_class = MonthField


class ReportFilterSet(filters.FilterSet):
    """Binds the defaults of unfilled fields, so the page shows what the report used."""

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        for name, value in self.defaults().items():
            if not data.get(name):
                data[name] = value
        super().__init__(data, *args, **kwargs)

    def defaults(self) -> dict[str, str]:
        return {}

    @property
    def cleaned(self) -> dict:
        return self.form.cleaned_data


class PeriodFilterSet(ReportFilterSet):
    """``dari``/``sampai``: whole WITA days (the current month by default) on ``period_path``,
    a timestamp, or on ``period_date``, a date column; with neither, the report applies the
    period itself (``period()``)."""

    period_path = ""
    period_date = ""

    dari = filters.DateFilter(label="Dari tanggal", method="filter_from", widget=DateInput())
    sampai = filters.DateFilter(label="Sampai tanggal", method="filter_until", widget=DateInput())

    def defaults(self):
        first = month_start()
        return {"dari": first.isoformat(), "sampai": month_end(first).isoformat()}

    def filter_from(self, queryset, name, value):
        if self.period_date:
            return queryset.filter(**{f"{self.period_date}__gte": value})
        if self.period_path:
            return queryset.filter(**{f"{self.period_path}__gte": day_start(value)})
        return queryset

    def filter_until(self, queryset, name, value):
        if self.period_date:
            return queryset.filter(**{f"{self.period_date}__lte": value})
        if self.period_path:
            after = day_start(value + dt.timedelta(days=1))
            return queryset.filter(**{f"{self.period_path}__lt": after})
        return queryset

    def period(self) -> tuple[dt.date, dt.date]:
        return self.cleaned["dari"], self.cleaned["sampai"]

    def is_valid(self):
        if not super().is_valid():
            return False
        start, end = self.period()
        if end < start:
            self.form.add_error("sampai", "Tanggal akhir tidak boleh sebelum tanggal awal.")
        elif (end - start).days >= MAX_PERIOD_DAYS:
            self.form.add_error(
                "sampai", f"Rentang paling panjang {MAX_PERIOD_DAYS} hari; persempit tanggalnya."
            )
        return not self.form.errors


class RegionFilterMixin(filters.FilterSet):
    """``kecamatan``/``kelurahan`` on ``region_path``, the path to the resident's Village
    (empty when the rows are the kelurahan themselves)."""

    region_path = ""

    kecamatan = filters.ModelChoiceFilter(
        label="Kecamatan",
        queryset=District.objects.order_by("name"),
        method="filter_district",
        empty_label="Semua kecamatan",
    )
    kelurahan = filters.ModelChoiceFilter(
        label="Kelurahan",
        queryset=Village.objects.select_related("district").order_by("name"),
        method="filter_village",
        empty_label="Semua kelurahan",
    )

    def filter_district(self, queryset, name, value):
        path = f"{self.region_path}__district" if self.region_path else "district"
        return queryset.filter(**{path: value})

    def filter_village(self, queryset, name, value):
        return queryset.filter(**{self.region_path or "pk": value.pk})


class EventFilterSet(PeriodFilterSet, RegionFilterMixin):
    """Steps of the event log taken in the period, by the applicant's kelurahan."""

    period_path = "at"
    region_path = "application__resident__village"

    class Meta:
        model = ApplicationEvent
        fields = []


class OwnershipFilterSet(ReportFilterSet, RegionFilterMixin):
    class Meta:
        model = Village
        fields = []


class BacklogFilterSet(ReportFilterSet, RegionFilterMixin):
    region_path = "resident__village"

    status = filters.ChoiceFilter(
        label="Status",
        choices=[(s.value, s.label) for s in OPEN_STATUSES],
        empty_label="Semua status terbuka",
    )

    class Meta:
        model = CardApplication
        fields = []


class LeadTimeFilterSet(PeriodFilterSet, RegionFilterMixin):
    """The period selects each step by the day it was completed (the report applies it)."""

    region_path = "resident__village"

    class Meta:
        model = CardApplication
        fields = []


def shift_filter(path: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        label="Shift", queryset=ShiftType.objects.all(), field_name=path, empty_label="Semua shift"
    )


def post_filter(path: str) -> filters.ModelChoiceFilter:
    return filters.ModelChoiceFilter(
        label="Pos", queryset=Post.objects.all(), field_name=path, empty_label="Semua pos"
    )


class ThroughputFilterSet(PeriodFilterSet):
    BY = {"shift": "Shift", "pos": "Pos", "petugas": "Petugas"}

    period_path = "at"

    per = filters.ChoiceFilter(
        label="Kelompokkan per",
        choices=list(BY.items()),
        method=keep_all,
        empty_label=None,
    )
    shift = shift_filter("assignment__shift_type")
    pos = post_filter("assignment__post")
    petugas = filters.ModelChoiceFilter(
        label="Petugas",
        queryset=get_user_model().objects.filter(is_staff=True).order_by("username"),
        field_name="actor",
        empty_label="Semua petugas",
    )

    class Meta:
        model = ApplicationEvent
        fields = []

    def defaults(self):
        return {**super().defaults(), "per": "petugas"}


class MonthFilterSet(ReportFilterSet):
    bulan = MonthFilter(label="Bulan", method=keep_all)

    class Meta:
        model = Movement
        fields = []

    def defaults(self):
        return {"bulan": month_start().strftime(MONTH_FORMAT)}


class DestructionFilterSet(PeriodFilterSet):
    period_date = "destroyed_on"

    class Meta:
        model = Destruction
        fields = []


class CoverageFilterSet(PeriodFilterSet):
    period_date = "date"

    shift = shift_filter("shift_type")
    pos = post_filter("post")

    class Meta:
        model = Assignment
        fields = []


class SinceFilterSet(ReportFilterSet):
    """Broker indicators look back from a day to now."""

    dari = filters.DateFilter(label="Sejak tanggal", method=keep_all, widget=DateInput())

    class Meta:
        model = ApplicationEvent
        fields = []

    def defaults(self):
        return {"dari": month_start().isoformat()}


class ReadyFilterSet(ReportFilterSet, RegionFilterMixin):
    region_path = "resident__village"

    class Meta:
        model = CardApplication
        fields = []
