"""What supervision adds to the workbench (工作台): the records audit (全过程记录), case-file
evaluation (案卷评查) and supervision notices (监督通知书) for the supervision office and the
administrator; the evaluations and notices of their own body for heads and officers (plain data
read by ``zhifa.workbench.menu``; see ``registry/nav.py`` for the keys)."""

LINKS = [
    {"label": "全过程记录", "url": "supervision:records", "icon": "⛓", "section": "执法监督", "order": 600,
     "active": ("supervision:records", "supervision:stream"), "roles": ("admin", "supervisor"), "testid": "nav-records"},
    {"label": "案卷评查计划", "url": "supervision:plans", "icon": "✎", "section": "执法监督", "order": 610,
     "active": ("supervision:plan*", "supervision:case_file", "supervision:sheets"), "roles": ("admin", "supervisor"), "testid": "nav-plans"},
    {"label": "案卷评查", "url": "supervision:evaluations", "icon": "☑", "section": "执法监督", "order": 620,
     "active": ("supervision:evaluation*",), "roles": ("admin", "supervisor", "head", "officer"), "testid": "nav-evaluations"},
    {"label": "监督通知书", "url": "supervision:notices", "icon": "✉", "section": "执法监督", "order": 630,
     "active": ("supervision:notice*",), "roles": ("admin", "supervisor", "head", "officer"), "testid": "nav-notices",
     "count": "zhifa.supervision.selectors.notices_to_answer", "count_label": "件待整改反馈"},
    {"label": "问责与免责", "url": "supervision:accountability", "icon": "⚖", "section": "执法监督", "order": 640,
     "active": ("supervision:accountability",), "roles": ("admin", "supervisor"), "testid": "nav-accountability"},
    {"label": "执法统计", "url": "supervision:statistics", "icon": "▦", "section": "执法监督", "order": 650,
     "active": ("supervision:statistics", "supervision:body_statistics", "supervision:congress"),
     "roles": ("admin", "supervisor", "head"), "testid": "nav-statistics"},
]

# 预警 (R33): the alerts in scope for everyone who works with them, the catalogue for all.
LINKS.append({"label": "执法监督预警", "url": "supervision:alerts", "icon": "⚠", "section": "执法监督", "order": 605,
              "active": ("supervision:alert", "supervision:alerts"), "roles": ("admin", "supervisor", "head", "officer"),
              "testid": "nav-alerts"})

TILES: list = []

# Annual assessment (年度考核, R36) and officer workload and risk (R38).
LINKS += [
    {"label": "年度考核", "url": "supervision:assessments", "icon": "★", "section": "执法监督", "order": 650,
     "active": ("supervision:assessment*",), "roles": ("admin", "supervisor", "head"), "testid": "nav-assessments"},
    {"label": "工作量与风险", "url": "supervision:workload", "icon": "⚑", "section": "执法监督", "order": 660,
     "active": ("supervision:workload",), "roles": ("admin", "supervisor", "head"), "testid": "nav-workload"},
]
