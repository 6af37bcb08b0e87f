"""What each staff role may do in this app; assembled by dukcapil.roles."""

from dukcapil.roles import (
    ADMINISTRATOR,
    BLANKS,
    HANDOVER,
    PRINTING,
    RECORDING,
    REGISTRATION,
    SUPERVISOR,
)

# Everyone needs to know who is on duty when, so every role reads the rosters.
_VIEW = [
    "shifts.view_roster",
    "shifts.view_assignment",
    "shifts.view_shifttype",
    "shifts.view_post",
    "shifts.view_staff",
]

PERMISSIONS: dict[str, list[str]] = {
    REGISTRATION: _VIEW,
    RECORDING: _VIEW,
    PRINTING: _VIEW,
    HANDOVER: _VIEW,
    BLANKS: _VIEW,
    # Builds, publishes and amends rosters; records leave and coverage needs.
    SUPERVISOR: [
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
    ADMINISTRATOR: [
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
