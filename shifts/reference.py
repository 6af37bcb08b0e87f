"""The shift types and posts every office starts with (editable afterwards in the admin)."""

import datetime as dt

SHIFT_TYPES = [
    ("P", "Pagi", dt.time(7), dt.time(15)),
    ("S", "Sore", dt.time(15), dt.time(23)),
    ("M", "Malam", dt.time(23), dt.time(7)),
]
POSTS = [
    ("DAF", "Pendaftaran & verifikasi berkas"),
    ("REK", "Perekaman"),
    ("CTK", "Cetak"),
    ("SRH", "Penyerahan"),
    ("AWS", "Pengawas"),
]


def reference_load(apps, schema_editor=None) -> None:
    """Create the standard shift types and posts; safe to run again (usable from a migration)."""
    ShiftType = apps.get_model("shifts", "ShiftType")
    Post = apps.get_model("shifts", "Post")
    for code, name, start, end in SHIFT_TYPES:
        ShiftType.objects.get_or_create(
            code=code, defaults={"name": name, "start": start, "end": end}
        )
    for code, name in POSTS:
        Post.objects.get_or_create(code=code, defaults={"name": name})
