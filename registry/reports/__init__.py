"""Laporan: the supervisor's report pages under /admin/laporan/, their downloads and the
``report`` command (DESIGN.md §8).

``filters`` holds the FilterSets, ``selectors`` the set-based aggregations, ``definitions``
the list of reports that ties the two together, ``views`` and ``urls`` the pages.
"""
