"""The resident's public pages, no sign-in: the status lookup (/cek-ktp/) and the list of
cards ready to collect per kelurahan (/siap-diambil/)."""
