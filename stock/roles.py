"""What each staff role may do in this app; assembled by dukcapil.roles."""

from dukcapil.roles import ADMINISTRATOR, BLANKS, PRINTING, SUPERVISOR

_VIEW_ALL = [
    "stock.view_location",
    "stock.view_budgetline",
    "stock.view_receipt",
    "stock.view_blank",
    "stock.view_movement",
    "stock.view_destruction",
    "stock.view_dailyclosing",
]

PERMISSIONS: dict[str, list[str]] = {
    # Prints cards: sees the blanks (at the station) and records the ones a print spoiled,
    # at a printer station only.
    PRINTING: ["stock.view_location", "stock.view_blank", "stock.spoil_blank"],
    BLANKS: [
        *_VIEW_ALL,
        "stock.add_receipt",
        "stock.transfer_blank",
        "stock.spoil_blank",
        "stock.spoil_stored_blank",
        "stock.add_destruction",
        "stock.add_dailyclosing",
        "stock.export_movement",
    ],
    # Supervises: sees everything, signs closings and destructions, corrects stock and voids
    # a receipt recorded by mistake.
    SUPERVISOR: [
        *_VIEW_ALL,
        "stock.export_movement",
        "stock.approve_dailyclosing",
        "stock.approve_destruction",
        "stock.adjust_stock",
        "stock.void_receipt",
    ],
    # Keeps the reference data: where blanks can be, and the money for them.
    ADMINISTRATOR: [
        "stock.view_location",
        "stock.add_location",
        "stock.change_location",
        "stock.view_budgetline",
        "stock.add_budgetline",
        "stock.change_budgetline",
    ],
}
