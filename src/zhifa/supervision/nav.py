"""What supervision adds to the workbench (工作台): the records audit link (全过程记录) for the
supervision office and the administrator (plain data read by ``zhifa.workbench.menu``; see
``registry/nav.py`` for the keys)."""

LINKS = [
    {"label": "全过程记录", "url": "supervision:records", "icon": "⛓", "section": "执法监督", "order": 600,
     "active": ("supervision:*",), "roles": ("admin", "supervisor"), "testid": "nav-records"},
]

TILES: list = []
