"""The demo city (示例市): its jurisdictions and enforcement bodies, as plain data.

A fictional prefecture-level city with three districts and one county, thirteen streets and
townships, the city's enforcement departments, their county counterparts and the township
comprehensive enforcement bureaus (乡镇（街道）综合行政执法队). Codes look like real
administrative division codes (GB/T 2260 for city and county, 9-digit township codes).
"""
from __future__ import annotations

from dataclasses import dataclass, field

CITY_NAME = "示例市"
CITY_CODE = "650200"
PHONE_AREA = "0990"
MAIL_DOMAIN = "shili.gov.cn"

SUPERVISION_OFFICE = "示例市司法局行政执法监督科"


@dataclass(frozen=True)
class CountySpec:
    code: str
    name: str
    abbr: str  # used in body codes: CZ-SJJ
    short: str  # used in document short names: 城中
    road: str  # the street the county government sits on
    townships: tuple[tuple[str, str, str], ...]  # (code, name, abbr)


COUNTIES = (
    CountySpec("650202", "城中区", "CZ", "城中", "人民路", (
        ("650202001", "人民路街道", "RML"),
        ("650202002", "解放路街道", "JFL"),
        ("650202003", "滨河街道", "BH"),
    )),
    CountySpec("650203", "河东区", "HD", "河东", "东湖大道", (
        ("650203001", "河东街道", "HDJ"),
        ("650203002", "东湖街道", "DH"),
        ("650203100", "柳林镇", "LL"),
    )),
    CountySpec("650204", "新港区", "XG", "新港", "港城路", (
        ("650204001", "新港街道", "XGJ"),
        ("650204100", "港湾镇", "GW"),
        ("650204101", "临港镇", "LG"),
    )),
    CountySpec("650221", "青山县", "QS", "青山", "青山大街", (
        ("650221100", "青山镇", "QSZ"),
        ("650221101", "石桥镇", "SQ"),
        ("650221200", "白杨乡", "BY"),
        ("650221201", "枫林乡", "FL"),
    )),
)


# Sector texts for R01 (执法权限, 设立及执法依据, 职能边界).
SECTOR_TEXT = {
    "market": (
        "依法对市场主体登记、食品安全、药品医疗器械化妆品、特种设备、产品质量、计量、标准化、认证认可、价格、广告、"
        "反不正当竞争、知识产权（商标、专利）等实施监督检查，查处违法行为，实施行政处罚和行政强制措施。",
        "《中华人民共和国食品安全法》《中华人民共和国产品质量法》《中华人民共和国特种设备安全法》《中华人民共和国广告法》"
        "《中华人民共和国价格法》《中华人民共和国商标法》《市场监督管理行政处罚程序规定》；本级机构改革方案及“三定”规定。",
        "食用农产品进入批发、零售市场或生产加工企业前的质量安全监管由农业农村部门负责，进入后由市场监管部门负责；"
        "无照经营中涉及占道经营的由城市管理部门查处。",
    ),
    "urban": (
        "集中行使市容环境卫生、城乡规划（违法建设）、城市绿化、市政公用、环境保护（部分）、工商（部分）等领域"
        "法律法规规章规定的行政处罚权以及与之相关的行政强制措施权。",
        "《中华人民共和国行政处罚法》第十八条；《城市市容和环境卫生管理条例》《中华人民共和国城乡规划法》《城市绿化条例》"
        "《城市道路管理条例》；省级人民政府关于开展相对集中行政处罚权工作的批复。",
        "违法建设由城市管理部门查处，规划条件核实由自然资源部门负责；餐饮油烟、露天烧烤污染由城市管理部门查处，"
        "工业企业排污由生态环境部门查处。",
    ),
    "ecology": (
        "对大气、水、土壤、固体废物、噪声、辐射等环境污染防治和生态保护实施统一监督管理，查处环境违法行为，"
        "依法实施查封、扣押等行政强制措施。",
        "《中华人民共和国环境保护法》《中华人民共和国大气污染防治法》《中华人民共和国水污染防治法》"
        "《中华人民共和国固体废物污染环境防治法》《排污许可管理条例》《生态环境行政处罚办法》。",
        "机动车尾气路检由生态环境部门会同公安交管部门实施；建筑工地扬尘由住房城乡建设部门监管、城市管理部门查处。",
    ),
    "transport": (
        "对道路运输、公路路政、水路运输、出租汽车、工程质量安全等实施监督检查，查处交通运输领域违法行为。",
        "《中华人民共和国公路法》《中华人民共和国道路运输条例》《公路安全保护条例》《交通运输行政执法程序规定》。",
        "车辆超限超载由交通运输部门在公路超限检测站查处，城市道路上的交通违法由公安交管部门查处。",
    ),
    "emergency": (
        "对工矿商贸生产经营单位安全生产、危险化学品、烟花爆竹等实施综合监督管理，查处安全生产违法行为，"
        "对事故隐患依法采取查封、扣押等行政强制措施。",
        "《中华人民共和国安全生产法》《危险化学品安全管理条例》《烟花爆竹安全管理条例》《安全生产违法行为行政处罚办法》。",
        "行业领域安全生产监管按照“管行业必须管安全”由各行业主管部门负责；应急管理部门负责综合监管和非煤矿山、危化品等直接监管。",
    ),
    "agriculture": (
        "对农药、兽药、种子、肥料、饲料、农产品质量安全、动物防疫、生猪屠宰、渔业、农业机械等实施监督检查，"
        "查处农业违法行为。",
        "《中华人民共和国农产品质量安全法》《中华人民共和国种子法》《中华人民共和国动物防疫法》《农药管理条例》"
        "《兽药管理条例》《生猪屠宰管理条例》《农业行政处罚程序规定》。",
        "食用农产品进入市场后的质量安全由市场监管部门负责；病死畜禽无害化处理监督由农业农村部门负责。",
    ),
    "culture": (
        "对文化市场（演出、娱乐、网络文化、出版、广播电视）和旅游市场实施监督检查，查处违法经营行为。",
        "《中华人民共和国旅游法》《娱乐场所管理条例》《营业性演出管理条例》《互联网上网服务营业场所管理条例》"
        "《出版管理条例》《文化市场综合行政执法管理办法》。",
        "旅游购物场所的价格和商品质量问题由市场监管部门查处；娱乐场所治安问题由公安机关查处。",
    ),
    "health": (
        "对医疗机构、医务人员执业、公共场所卫生、生活饮用水卫生、传染病防治、职业卫生、放射卫生、消毒产品等"
        "实施卫生监督，查处违法行为。",
        "《中华人民共和国基本医疗卫生与健康促进法》《中华人民共和国医师法》《中华人民共和国传染病防治法》"
        "《中华人民共和国职业病防治法》《医疗机构管理条例》《公共场所卫生管理条例》。",
        "药品、医疗器械质量由市场监管部门监管；医疗废物收集处置单位的污染防治由生态环境部门监管。",
    ),
    "natural_resources": (
        "对土地、矿产资源、测绘地理信息等实施监督检查，查处非法占地、非法采矿、违法测绘等行为。",
        "《中华人民共和国土地管理法》《中华人民共和国矿产资源法》《中华人民共和国测绘法》《土地复垦条例》"
        "《自然资源行政处罚办法》。",
        "城市规划区内的违法建设由城市管理部门查处；耕地“非农化”的认定由自然资源部门负责、农业农村部门配合。",
    ),
    "housing": (
        "对建筑市场、建设工程质量安全、房地产开发经营、物业管理、住房保障等实施监督检查，查处违法行为。",
        "《中华人民共和国建筑法》《建设工程质量管理条例》《建设工程安全生产管理条例》《城市房地产开发经营管理条例》"
        "《物业管理条例》。",
        "建设工程施工现场扬尘的日常监管由住房城乡建设部门负责，施工工地以外的扬尘由城市管理部门查处。",
    ),
    "water": (
        "对水资源、河道管理、水土保持、水工程保护、防汛抗旱等实施监督检查，查处水事违法行为。",
        "《中华人民共和国水法》《中华人民共和国防洪法》《中华人民共和国水土保持法》《中华人民共和国河道管理条例》"
        "《取水许可和水资源费征收管理条例》《水行政处罚实施办法》。",
        "河道内非法采砂由水利部门查处；入河排污口设置的监管由生态环境部门负责。",
    ),
    "comprehensive": (
        "以乡镇人民政府（街道办事处）名义，统一行使依法赋予的市容环境卫生、违法建设、农业农村、安全生产、"
        "市场监管等领域部分行政处罚权及相关行政检查、行政强制措施权。",
        "《中华人民共和国行政处罚法》第二十四条；《示例市人民政府关于向乡镇（街道）赋予部分县级行政执法权限的决定》"
        "（示政发〔2023〕18号）及赋权事项清单。",
        "赋权事项由乡镇（街道）综合行政执法队以本级人民政府名义实施，县级主管部门负责业务指导、提级审核和提级办理；"
        "未赋权事项仍由县级部门实施。",
    ),
    "housing_fund": (
        "对单位住房公积金缴存登记、缴存情况实施监督检查，依法作出责令限期办理、罚款等处理。",
        "《住房公积金管理条例》第三十七条、第三十八条（法规授权住房公积金管理中心实施）。",
        "住房公积金缴存争议的劳动关系认定由人力资源社会保障部门负责。",
    ),
}


@dataclass(frozen=True)
class BodySpec:
    """One enforcement body of the demo city (R01)."""

    code: str
    name: str
    short_name: str
    sector: str
    jurisdiction_code: str
    address: str
    kind: str = "statutory"
    text_key: str = ""  # key in SECTOR_TEXT (defaults to the sector)
    parent_code: str = ""  # parent_department
    entrusted_by_code: str = ""
    is_township_bureau: bool = False
    base_officers: int = 8  # certified officers incl. head and legal reviewer, at scale 1
    auxiliaries: int = 0
    item_templates: str = ""  # key in items.TEMPLATES for generated items
    real_list: str = ""  # file in demo_data/ imported through the items importer
    unit_names: tuple[str, ...] = field(default=())


CITY_BODIES = (
    BodySpec("SJJ", "示例市市场监督管理局", "示市监", "market", CITY_CODE, "示例市城中区人民路88号",
             base_officers=44, auxiliaries=6, real_list="附件：克拉玛依市市场监督管理局2024年权责清单.xls", item_templates="market"),
    BodySpec("CGJ", "示例市城市管理综合行政执法局", "示城管", "urban", CITY_CODE, "示例市城中区解放路16号",
             base_officers=36, auxiliaries=14, item_templates="urban"),
    BodySpec("SHJ", "示例市生态环境局", "示环", "ecology", CITY_CODE, "示例市河东区东湖大道218号",
             base_officers=18, real_list="克拉玛依市生态环境局2024年权责清单.xls", item_templates="ecology"),
    BodySpec("JTJ", "示例市交通运输局", "示交", "transport", CITY_CODE, "示例市新港区港城路6号",
             base_officers=20, auxiliaries=3, real_list="附件：克拉玛依市交通运输局2024年权责清单.xlsx", item_templates="transport"),
    BodySpec("YJJ", "示例市应急管理局", "示应急", "emergency", CITY_CODE, "示例市城中区和平路31号",
             base_officers=14, real_list="克拉玛依市应急管理局2024年权责清单.xls", item_templates="emergency"),
    BodySpec("NYJ", "示例市农业农村局", "示农", "agriculture", CITY_CODE, "示例市河东区丰收路52号",
             base_officers=12, item_templates="agriculture"),
    BodySpec("WLJ", "示例市文化体育广电和旅游局", "示文旅", "culture", CITY_CODE, "示例市城中区文化路9号",
             base_officers=6, item_templates="culture"),
    BodySpec("WLZD", "示例市文化市场综合行政执法支队", "示文执", "culture", CITY_CODE, "示例市城中区文化路11号",
             kind="entrusted", entrusted_by_code="WLJ", base_officers=10, auxiliaries=2),
    BodySpec("WJW", "示例市卫生健康委员会", "示卫", "health", CITY_CODE, "示例市城中区健康路25号",
             base_officers=12, item_templates="health"),
    BodySpec("ZRJ", "示例市自然资源局", "示自然", "natural_resources", CITY_CODE, "示例市河东区国土路3号",
             base_officers=10, item_templates="natural_resources"),
    BodySpec("ZJJ", "示例市住房和城乡建设局", "示住建", "housing", CITY_CODE, "示例市新港区建设大道100号",
             base_officers=10, item_templates="housing"),
    BodySpec("SLJ", "示例市水利局", "示水", "water", CITY_CODE, "示例市河东区滨江路66号",
             base_officers=7, item_templates="water"),
    BodySpec("GJJ", "示例市住房公积金管理中心", "示公积金", "housing", CITY_CODE, "示例市城中区金融街12号",
             kind="authorized", text_key="housing_fund", base_officers=4, item_templates="housing_fund"),
)

# County counterparts: (suffix, name suffix, short suffix, sector, officers, auxiliaries, templates)
COUNTY_DEPARTMENTS = (
    ("SJJ", "市场监督管理局", "市监", "market", 12, 2, "market"),
    ("ZHZF", "综合行政执法局", "综执", "urban", 14, 6, "urban"),
    ("NYJ", "农业农村局", "农", "agriculture", 5, 0, "agriculture"),
    ("YJJ", "应急管理局", "应急", "emergency", 5, 0, "emergency"),
    ("WJJ", "卫生健康局", "卫", "health", 4, 0, "health"),
)

TOWNSHIP_OFFICERS = 6
TOWNSHIP_AUXILIARIES = 3


def _county_label(county: CountySpec) -> str:
    # Districts (区) are named "示例市城中区…", a county keeps its own name ("青山县…").
    return f"{CITY_NAME}{county.name}" if county.name.endswith("区") else county.name


def _stem(township: str) -> str:
    return township.removesuffix("街道").removesuffix("镇").removesuffix("乡")


def all_bodies() -> list[BodySpec]:
    """Every body, city first, then each county's departments and township bureaus (stable order:
    the index of a body is part of its certificate numbers)."""
    bodies = list(CITY_BODIES)
    for county in COUNTIES:
        label = _county_label(county)
        for n, (suffix, name, short, sector, officers, aux, templates) in enumerate(COUNTY_DEPARTMENTS):
            bodies.append(BodySpec(
                f"{county.abbr}-{suffix}", f"{label}{name}", f"{county.short}{short}", sector, county.code,
                f"{label}{county.road}{(n + 1) * 12 + 3}号", base_officers=officers, auxiliaries=aux, item_templates=templates,
            ))
        for t_index, (t_code, t_name, t_abbr) in enumerate(county.townships):
            # Streets far from the district seat are entrusted by the district bureau (委托); the others
            # receive the powers by the city government's decision (赋权) and act in their own name.
            entrusted = t_abbr in {"BH", "FL"}
            bodies.append(BodySpec(
                f"{county.abbr}-{t_abbr}-ZF", f"{county.name}{t_name}综合行政执法队", f"{_stem(t_name)}综执", "comprehensive", t_code,
                f"{label}{t_name}{_stem(t_name).removesuffix('路')}路{t_index * 20 + 8}号",
                kind="entrusted" if entrusted else "statutory",
                entrusted_by_code=f"{county.abbr}-ZHZF" if entrusted else "",
                parent_code=f"{county.abbr}-ZHZF", is_township_bureau=True,
                base_officers=TOWNSHIP_OFFICERS, auxiliaries=TOWNSHIP_AUXILIARIES, item_templates="township",
            ))
    return bodies


# Bodies deliberately given registry problems so that the health view has something to show.
NO_REVIEWER_BODY = "QS-BY-ZF"  # R06: no legal reviewer at all
UNQUALIFIED_REVIEWER_BODY = "XG-LG-ZF"  # R06: its only reviewer lacks the legal qualification
INEXPERIENCED_HEAD_BODY = "QS-SQ-ZF"  # R07: township bureau head with one year of enforcement

# Where the demo accounts work (contract.md "Demo data and accounts").
MARKET_BODY = "SJJ"
URBAN_BODY = "CGJ"
