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

_REGIONS_VIEW = ["registry.view_district", "registry.view_village"]
_RESIDENT_VIEW = ["registry.view_resident", *_REGIONS_VIEW]
# Each desk that serves residents face to face calls its queue and takes numbers for them.
_QUEUE_DESK = ["registry.call_ticket", "registry.issue_ticket", "registry.view_servicedesk"]
_QUEUE_VIEW = [
    "registry.view_queueticket",
    "registry.view_ticketevent",
    "registry.view_servicedesk",
]
_APPLICATION_VIEW = [
    "registry.view_cardapplication",
    "registry.view_applicationevent",
    "registry.view_documentcheck",
    "registry.view_suket",
]

PERMISSIONS: dict[str, list[str]] = {
    REGISTRATION: [
        *_RESIDENT_VIEW,
        "registry.add_resident",
        "registry.change_resident",
        "registry.view_full_nik",
        *_APPLICATION_VIEW,
        "registry.add_cardapplication",
        "registry.verify_documents",
        "registry.issue_suket",
        *_QUEUE_DESK,
    ],
    RECORDING: [
        *_RESIDENT_VIEW,
        "registry.view_full_nik",
        *_APPLICATION_VIEW,
        "registry.record_biometrics",
        *_QUEUE_DESK,
    ],
    PRINTING: [*_RESIDENT_VIEW, *_APPLICATION_VIEW, "registry.print_card"],
    # Finds the card by the NIK the resident brings; sees it masked like any public list.
    HANDOVER: [
        *_RESIDENT_VIEW,
        *_APPLICATION_VIEW,
        "registry.hand_over_card",
        "registry.view_collectionqueueentry",
        *_QUEUE_DESK,
    ],
    BLANKS: _REGIONS_VIEW,
    SUPERVISOR: [
        *_RESIDENT_VIEW,
        *_APPLICATION_VIEW,
        "registry.cancel_application",
        "registry.view_collectionqueueentry",
        "registry.view_broker_indicators",
        "registry.view_handoverrefusal",
        "registry.view_statuslookup",
        "registry.view_campaign",
        "registry.change_campaign",
        "registry.view_full_nik",
        "registry.import_resident",
        "registry.export_resident",
        "registry.view_historicalresident",
        *_QUEUE_VIEW,
    ],
    ADMINISTRATOR: [
        *_RESIDENT_VIEW,
        "registry.add_resident",
        "registry.change_resident",
        "registry.view_full_nik",
        "registry.import_resident",
        "registry.export_resident",
        "registry.view_historicalresident",
        "registry.add_district",
        "registry.change_district",
        "registry.add_village",
        "registry.change_village",
        "registry.view_campaign",
        "registry.add_campaign",
        "registry.change_campaign",
        "registry.view_servicedesk",
        "registry.add_servicedesk",
        "registry.change_servicedesk",
    ],
}
