"""What transfers add to the workbench: the ledger of criminal transfers (移送台账) for the
enforcement staff and the supervision office (plain data read by ``zhifa.workbench.menu``)."""

LINKS = [
    {"label": "移送台账", "url": "transfers:ledger", "icon": "⇄", "section": "", "order": 150,
     "active": ("transfers:*",), "roles": ("admin", "supervisor", "officer"), "testid": "nav-transfers",
     "count": "zhifa.transfers.selectors.overdue_count", "count_label": "逾期"},
]

TILES: list = []
