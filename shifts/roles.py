"""What each staff role may do in this app; merged into dukcapil.roles.ROLE_PERMISSIONS."""

# Everyone needs to know who is on duty when, so every role reads the rosters.
_VIEW = [
    "shifts.view_roster",
    "shifts.view_assignment",
    "shifts.view_shifttype",
    "shifts.view_post",
    "shifts.view_staff",
]

PERMISSIONS: dict[str, list[str]] = {
    "Petugas Pendaftaran": _VIEW,
    "Operator Perekaman": _VIEW,
    "Operator Cetak": _VIEW,
    "Petugas Penyerahan": _VIEW,
    "Pengelola Blanko": _VIEW,
    # Builds, publishes and amends rosters; records leave and coverage needs.
    "Kepala Seksi": [
        *_VIEW,
        "shifts.add_roster",
        "shifts.publish_roster",
        "shifts.view_amendment",
        "shifts.view_leave",
        "shifts.add_leave",
        "shifts.change_leave",
        "shifts.delete_leave",
        "shifts.view_coveragerequirement",
        "shifts.add_coveragerequirement",
        "shifts.change_coveragerequirement",
    ],
    # Keeps the reference data: staff, shift types and posts.
    "Administrator": [
        *_VIEW,
        "shifts.add_staff",
        "shifts.change_staff",
        "shifts.add_shifttype",
        "shifts.change_shifttype",
        "shifts.add_post",
        "shifts.change_post",
        "shifts.view_coveragerequirement",
        "shifts.view_leave",
    ],
}
