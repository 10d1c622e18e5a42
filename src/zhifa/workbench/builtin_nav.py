"""Navigation declared on behalf of the apps that do not carry their own ``nav.py`` yet
(catalog, cases, inspections): the same plain data an app's ``nav.py`` holds (keys documented in
``registry/nav.py``). When an app gets its ``nav.py``, its entry here is no longer read and can go.
"""
from types import SimpleNamespace

STAFF_NOT_AUXILIARY = ("admin", "supervisor", "officer")

DECLARED = {
    # the workbench itself: the to-do list (待办事项, ``workbench.todo``) first on every home page
    "workbench": SimpleNamespace(TILES=[
        {"template": "workbench/tiles/todo.html", "context": "zhifa.workbench.todo.tile", "order": 10},
    ]),
    "cases": SimpleNamespace(LINKS=[
        {"label": "案件办理", "url": "cases:list", "icon": "⚖", "section": "", "order": 100, "active": ("cases:*", "!cases:flexible_*")},
        {"label": "柔性执法", "url": "cases:flexible_list", "icon": "☼", "section": "", "order": 110, "active": ("cases:flexible_*",),
         "roles": STAFF_NOT_AUXILIARY, "count": "zhifa.cases.flexible_selectors.due_count", "count_label": "待回访"},
    ]),
    "catalog": SimpleNamespace(LINKS=[
        {"label": "执法事项", "url": "catalog:item_list", "icon": "☰", "section": "事项与依据", "order": 300,
         "active": ("catalog:item_list", "catalog:item_detail")},
        {"label": "裁量计算", "url": "catalog:assess_index", "icon": "⚖", "section": "事项与依据", "order": 310,
         "active": ("catalog:assess_index", "catalog:item_assess")},
        {"label": "执法清单", "url": "catalog:lists", "icon": "☷", "section": "事项与依据", "order": 320,
         "active": ("catalog:lists",)},
    ]),
    "inspections": SimpleNamespace(LINKS=[
        {"label": "抽查检查", "url": "inspections:overview", "icon": "⚄", "section": "双随机、一公开", "order": 400,
         "active": ("inspections:*", "!inspections:inspector_*", "!inspections:conflict_*", "!inspections:mine")},
        {"label": "我的检查", "url": "inspections:mine", "icon": "✎", "section": "双随机、一公开", "order": 410,
         "active": ("inspections:mine",), "roles": ("officer",), "testid": "nav-mine",
         "count": "zhifa.inspections.templatetags.inspections_nav.my_pending_count", "count_label": "待录入"},
        {"label": "检查人员名录", "url": "inspections:inspector_list", "icon": "☑", "section": "双随机、一公开", "order": 420,
         "active": ("inspections:inspector_*",), "roles": STAFF_NOT_AUXILIARY},
        {"label": "利益冲突申报", "url": "inspections:conflict_list", "icon": "⚠", "section": "双随机、一公开", "order": 430,
         "active": ("inspections:conflict_*",), "roles": STAFF_NOT_AUXILIARY},
    ]),
    # core: the security audit log (core/security/audit.py) for the administrator; the auditor
    # role opens /security/audit/ directly. The password change page is linked from the top bar.
    "core": SimpleNamespace(LINKS=[
        {"label": "安全审计", "url": "security_audit", "icon": "⛨", "section": "数据维护", "order": 980,
         "active": ("security_audit",), "roles": ("admin",)},
    ]),
}
