"""What the registry adds to the workbench (工作台, ``zhifa.workbench``): its links in the side
navigation and its tiles on the home page, with the roles that see them.

Plain data, read by ``zhifa.workbench.menu`` (registry sits below the workbench and never imports
it). A link: ``label``, ``url`` (a URL name) or ``href``, ``icon``, ``section`` (the heading it
sits under, ``""`` for none), ``order`` (across all apps), ``active`` (view names, a trailing
``*`` for a prefix, a leading ``!`` to exclude), ``roles`` (``access.Role`` values; absent: everyone),
optionally ``count`` (the dotted path of ``f(actor) -> int``, shown as a badge with
``count_label``) and ``testid``. A tile: ``template``, ``context`` (the dotted path of
``f(actor, today) -> dict | None``; ``None`` hides the tile), ``order``.
"""

SECTION = "主体与人员"
MANAGERS = ("admin", "supervisor", "head")

LINKS = [
    {"label": "工作台", "url": "workbench:home", "icon": "⌂", "section": "", "order": 0,
     "active": ("workbench:home", "registry:home"), "testid": "nav-home",
     "count": "zhifa.workbench.todo.nav_count", "count_label": "项待办"},
    {"label": "执法主体", "url": "registry:body_list", "icon": "▣", "section": SECTION, "order": 200,
     "active": ("registry:body_list", "registry:body_detail")},
    {"label": "执法人员", "url": "registry:officer_list", "icon": "☺", "section": SECTION, "order": 210,
     "active": ("registry:officer_list", "registry:officer_detail")},
    {"label": "区划与层级", "url": "registry:jurisdiction_tree", "icon": "⋔", "section": SECTION, "order": 220,
     "active": ("registry:jurisdiction_tree",)},
    {"label": "队伍健康度", "url": "registry:health", "icon": "✚", "section": SECTION, "order": 230,
     "active": ("registry:health",), "roles": MANAGERS},
    {"label": "数据导入", "url": "registry:imports", "icon": "⇪", "section": "数据维护", "order": 900,
     "active": ("registry:import*",), "roles": MANAGERS},
    {"label": "系统管理", "href": "/admin/", "icon": "⚙", "section": "数据维护", "order": 990, "roles": ("admin",)},
]

TILES = [
    {"template": "registry/tiles/overview.html", "context": "zhifa.registry.views.home.overview_tile", "order": 100},
    {"template": "registry/tiles/me.html", "context": "zhifa.registry.views.home.me_tile", "order": 200},
    {"template": "registry/tiles/people.html", "context": "zhifa.registry.views.home.people_tile", "order": 300},
]
