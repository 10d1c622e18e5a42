"""What off-site enforcement adds to the workbench (keys documented in ``registry/nav.py``)."""

LINKS = [
    {"label": "电子监控设备", "url": "offsite:device_list", "icon": "◉", "section": "非现场执法", "order": 450,
     "active": ("offsite:device_*",)},
    {"label": "监控记录审核", "url": "offsite:review_queue", "icon": "✓", "section": "非现场执法", "order": 460,
     "active": ("offsite:review_queue",), "roles": ("officer", "admin", "supervisor"),
     "count": "zhifa.offsite.selectors.pending_count", "count_label": "待审核"},
]

TILES = []
