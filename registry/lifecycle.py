"""The application status machine (DESIGN §6.1) and the berkas each kind needs — defined once.

Every transition service checks a move against ``TRANSITIONS`` and the permission it names.
"""

from registry.models import (
    RECORDING_DESK_STATUSES,
    ApplicationKind,
    ApplicationStatus,
    DocumentKind,
)

S = ApplicationStatus

# from status → {to status: permission needed to make that move}
TRANSITIONS: dict[str, dict[str, str]] = {
    S.SUBMITTED: {
        S.VERIFIED: "registry.verify_documents",
        S.REJECTED: "registry.verify_documents",
    },
    S.VERIFIED: {
        S.RECORDED: "registry.record_biometrics",
        # Someone recorded before skips recording: the central system marks the PRR directly.
        S.PRINT_READY: "registry.record_biometrics",
        S.REJECTED: "registry.verify_documents",
    },
    S.RECORDED: {
        S.PRINT_READY: "registry.record_biometrics",
        S.DUPLICATE: "registry.record_biometrics",
        S.ENROLL_FAILED: "registry.record_biometrics",
    },
    S.ENROLL_FAILED: {S.RECORDED: "registry.record_biometrics"},
    # Blocked until the central system resolves it: cleared (PRR) or refused.
    S.DUPLICATE: {
        S.PRINT_READY: "registry.record_biometrics",
        S.REJECTED: "registry.record_biometrics",
    },
    S.PRINT_READY: {S.PRINTED: "registry.print_card"},
    S.PRINTED: {S.ISSUED: "registry.hand_over_card"},
}
for _status, _moves in TRANSITIONS.items():
    _moves[S.CANCELLED] = "registry.cancel_application"

# Which denormalised timestamp each arrival stamps.
TIMESTAMP_FIELDS = {
    S.VERIFIED: "verified_at",
    S.RECORDED: "recorded_at",
    S.PRINT_READY: "print_ready_at",
    S.PRINTED: "printed_at",
    S.ISSUED: "issued_at",
}

# A failed enrolment means the biometrics never reached the central database: the resident
# is not recorded, so a later application (if this one is cancelled) may record them again.
CLEARED_FIELDS = {S.ENROLL_FAILED: "recorded_at"}

K = ApplicationKind
D = DocumentKind

# No RT/RW covering letter: dropped by Perpres 96/2018.
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    K.NEW: (D.FAMILY_CARD,),
    K.MOVED_IN: (D.FAMILY_CARD, D.MOVING_LETTER),
    K.DATA_CHANGE: (D.FAMILY_CARD, D.CHANGE_PROOF),
    K.LOST: (D.FAMILY_CARD, D.POLICE_REPORT),
    K.DAMAGED: (D.FAMILY_CARD, D.DAMAGED_CARD),
    K.OUT_OF_DOMICILE: (D.FAMILY_CARD,),
    K.FOREIGNER: (D.FAMILY_CARD, D.PASSPORT_ITAP),
}

# The old card is taken back at handover and joins the next destruction.
OLD_CARD_RETURNED = (K.DAMAGED, K.DATA_CHANGE)

# The status each desk works on, by the permission that desk's role holds.
DESK_STATUSES: dict[str, tuple[str, ...]] = {
    "registry.verify_documents": (S.SUBMITTED,),
    "registry.record_biometrics": RECORDING_DESK_STATUSES,
    "registry.print_card": (S.PRINT_READY,),
    "registry.hand_over_card": (S.PRINTED,),
}


# A suket stands in for a card that cannot be printed yet: never once it is printed.
SUKET_STATUSES = (S.VERIFIED, S.RECORDED, S.PRINT_READY, S.DUPLICATE)
SUKET_PERMISSION = "registry.issue_suket"
# Besides the moves of the table, the one other thing a desk does to an application.
SUKET = "suket"


def allowed_moves(status: str) -> dict[str, str]:
    return TRANSITIONS.get(status, {})
