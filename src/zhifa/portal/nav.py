"""What the portal adds to the workbench: the complaints queue (投诉举报) for the body's head and
legal reviewers, the supervision office and the administrator, and a link to the public portal
(plain data read by ``zhifa.workbench.menu``; keys in ``registry/nav.py``)."""

LINKS = [
    {"label": "投诉举报", "url": "complaints:list", "icon": "✉", "section": "社会监督", "order": 700,
     "active": ("complaints:*",), "roles": ("admin", "supervisor", "head", "legal_reviewer"), "testid": "nav-complaints"},
    {"label": "普法文章", "url": "openness:articles", "icon": "✎", "section": "社会监督", "order": 702,
     "active": ("openness:articles", "openness:article_review"), "testid": "nav-articles"},
    {"label": "执法计划备案", "url": "openness:plans", "icon": "☰", "section": "社会监督", "order": 704,
     "active": ("openness:plans", "openness:plan_review"), "roles": ("admin", "supervisor", "head"), "testid": "nav-plans"},
    {"label": "联系点和监督员", "url": "openness:contacts", "icon": "☎", "section": "社会监督", "order": 706,
     "active": ("openness:contacts", "openness:contact_end"), "roles": ("admin", "supervisor", "head"), "testid": "nav-contacts"},
    {"label": "政务公开门户", "href": "/public/", "icon": "◎", "section": "社会监督", "order": 710},
]

TILES: list = []
