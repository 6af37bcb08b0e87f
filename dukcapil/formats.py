"""Numbers as a clerk reads them in a message: 4.000 keping, 100.001 blanko.

Templates group integers by themselves (USE_THOUSAND_SEPARATOR); an f-string does not. Years
and identifiers (NIK, No. KK, serials) are text, never counts: they are not passed here.
"""

from django.utils.formats import number_format


def grouped(number: int) -> str:
    """A count with thousands separators, whatever the settings say about grouping."""
    return number_format(number, force_grouping=True)
