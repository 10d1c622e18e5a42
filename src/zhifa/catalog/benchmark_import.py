"""Import of a published discretion table (裁量基准表) — ``zhifa import benchmarks FILE --body CODE``.

Reads the layout Chinese bodies publish (as in ``shared/data/benchmarks/``): several sheets, one
per law, a title row, then a header ``序号 | 违法行为 | 法律依据 | 类别 | 裁量情节 | 裁量标准 | 备注``,
one row per circumstance, vertically merged cells left blank below their first row. Each 序号
group becomes one benchmark of one item (matched by name among the body's items, or created);
a group that restarts at 类别 1 (e.g. “逾期不拆除的”) becomes a second item and benchmark. Each
类别 becomes a grade; several circumstances of one 类别 are joined into its conditions; the
裁量标准 text is parsed into penalty kinds and an amount (a fixed range in yuan, a percentage or
multiple of a base such as 建设项目总投资额, 所收费用, 货值金额, 违法所得). A text that cannot be
parsed keeps its words and no amount; the engine then quotes it as published.

All or nothing: any bad row rejects the file with every error (``core.importing``).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from zhifa.core.importing import ImportRejected, ImportRequest, ImportResult, Plan, RowError, register, run_import

from zhifa.core import citations
from . import rules as r

LABEL = "裁量基准"

# --- Known published sources ----------------------------------------------------------------

JIANGMEN_RULES = citations.JIANGMEN_ECOLOGY
JIANGMEN_TABLE = "《江门市生态环境局关于生态环境违法行为行政处罚自由裁量权裁量标准参照表》（试行）"


@dataclass(frozen=True)
class Source:
    title: str
    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    policy: r.DiscretionPolicy
    factors: tuple[r.FactorSpec, ...]
    notes: str = ""


_J5 = f"{JIANGMEN_RULES}第五条"
_J6 = f"{JIANGMEN_RULES}第六条"
_AGG = r.FactorKind.AGGRAVATING
_LIGHT = r.FactorKind.LIGHTER

JIANGMEN_FACTORS: tuple[r.FactorSpec, ...] = (
    r.FactorSpec("jm_violence", "在案件查处中对执法人员进行威胁、辱骂、殴打、恐吓、打击报复或者其他暴力抗拒执法行为的", r.Effect.HEAVIER, f"{_J5}第一款第1项", True, _AGG),
    r.FactorSpec("jm_cross_county", "环境违法行为造成跨县（区）级行政区域环境污染的", r.Effect.HEAVIER, f"{_J5}第一款第2项", True, _AGG),
    r.FactorSpec("jm_bad_reaction", "环境违法行为引起不良社会反响的", r.Effect.HEAVIER, f"{_J5}第一款第3项", True, _AGG),
    r.FactorSpec("jm_toxic", "违法向环境排放或倾倒危险废物、含重金属的污染物等有毒有害物质的", r.Effect.HEAVIER, f"{_J5}第一款第4项", True, _AGG),
    r.FactorSpec("jm_repeat_2", "当事人在两年内因同类违法行为被处罚2次的", r.Effect.HEAVIER, f"{_J5}第二款", True, _AGG),
    r.FactorSpec("jm_repeat_3", "当事人在两年内因同类违法行为被处罚3次以上的", r.Effect.RAISE_GRADE, f"{_J5}第二款", True, _AGG),
    r.FactorSpec("jm_incident", "造成较大或以上突发环境事件或环境污染事故的", r.Effect.RAISE_GRADE, f"{_J5}第三款第1项", False, _AGG),
    r.FactorSpec("jm_mass_incident", "引起较大或以上群体性事件的", r.Effect.RAISE_GRADE, f"{_J5}第三款第2项", False, _AGG),
    r.FactorSpec("jm_water_cut", "致使乡镇以上集中式饮用水水源取水中断的", r.Effect.RAISE_GRADE, f"{_J5}第三款第3项", False, _AGG),
    r.FactorSpec("jm_violence_injury", "采取暴力手段抗拒执法，且造成人员伤亡或设备损毁的", r.Effect.RAISE_GRADE, f"{_J5}第三款第4项", False, _AGG),
    r.FactorSpec("jm_first_no_intent", "属初犯，且不存在违法的主观故意，造成的环境污染轻微、生态破坏程度较小或者尚未产生危害后果的", r.Effect.LIGHTER, f"{_J6}第3项", False, _LIGHT),
    r.FactorSpec("jm_corrected", "主动改正或者及时中止违法行为的", r.Effect.LIGHTER, f"{_J6}第4项", False, _LIGHT),
    r.FactorSpec("jm_compensated", "积极履行环境污染民事损害赔偿责任，消除社会不良影响的", r.Effect.LIGHTER, f"{_J6}第5项", False, _LIGHT),
    r.FactorSpec("jm_insured", "违法行为发生前，已及时足额投保环境污染责任保险的", r.Effect.LIGHTER, f"{_J6}第6项", False, _LIGHT),
)

KNOWN_SOURCES: dict[str, Source] = {
    "jiangmen-ecology-environment-discretion-2020": Source(
        title=JIANGMEN_TABLE,
        version="江门2020（试行）",
        valid_from=dt.date(2020, 3, 1),  # 规定第十八条：自2020年3月1日起施行，有效期三年
        valid_to=None,
        policy=r.GUANGDONG_ECOLOGY_POLICY,
        factors=JIANGMEN_FACTORS,
        notes="原文规定有效期三年（自2020年3月1日起）；本系统示范数据继续沿用，实际使用前应核对现行有效版本。",
    ),
}


def known_source(filename: str) -> Source | None:
    for key, source in KNOWN_SOURCES.items():
        if key in filename:
            return source
    return None


# --- Chinese numbers and amounts --------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> Decimal:
    """``二十`` → 20, ``一百五十`` → 150, ``五千`` → 5000, ``十万`` → 100000, ``3.5`` → 3.5."""
    text = text.strip()
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return Decimal(text)
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _UNITS:
            section += (number or 1) * _UNITS[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10000
            section, number = 0, 0
        else:
            raise ValueError(f"无法识别的数字：{text}")
    return Decimal(total + section + number)


_CN = r"[零〇一二两三四五六七八九十百千万]+"
_NUM = rf"(?:[0-9]+(?:\.[0-9]+)?|{_CN})"
_QTY = re.compile(rf"(?:百分之(?P<pct>{_NUM})|(?P<n>{_NUM})\s*(?P<unit>%|％|倍|万元|元|千元|万)?)")
_BASES = (
    ("违法所得", r.AmountBasis.ILLEGAL_GAINS),
    ("货值金额", r.AmountBasis.GOODS_VALUE),
    ("货值", r.AmountBasis.GOODS_VALUE),
)


@dataclass(frozen=True)
class ParsedAmount:
    basis: r.AmountBasis
    minimum: Decimal | None
    maximum: Decimal | None
    label: str = ""


def _quantity(match: re.Match) -> tuple[Decimal, str]:
    """(value, kind) with kind ``yuan`` | ``ratio`` | ``bare``."""
    if match.group("pct"):
        return chinese_number(match.group("pct")) / 100, "ratio"
    value = chinese_number(match.group("n"))
    unit = match.group("unit") or ""
    if unit in ("%", "％"):
        return value / 100, "ratio"
    if unit == "倍":
        return value, "ratio"
    if unit in ("万元", "万"):
        return value * 10000, "yuan"
    if unit == "千元":
        return value * 1000, "yuan"
    if unit == "元":
        return value, "yuan"
    return value, "bare"


def parse_fine(standard: str) -> ParsedAmount | None:
    """The first fine of a 裁量标准 text (the one on the party; fines on its managers are other
    penalties), or None when there is no fine or its words cannot be read."""
    idx = standard.find("罚款")
    if idx < 0:
        return None
    piece = re.split(r"[，,；;。：:\n]", standard[:idx])[-1]
    piece = re.sub(r"^(?:并|可以|可|还可以)?(?:处以|处)+", "", piece.strip())
    piece = re.sub(r"^(?:处以|处)+", "", piece).rstrip("的 ")
    matches = list(_QTY.finditer(piece))
    if not matches:
        return None
    first = matches[0]
    label = re.sub(r"^(?:可以|可)?(?:并处|处以|处|按照)+", "", piece[: first.start()].strip()).rstrip("的")
    rest = piece[first.end():]
    values = [_quantity(m) for m in matches[:2]]
    kinds = {k for _, k in values}
    if "ratio" in kinds:
        basis = next((b for word, b in _BASES if word in label), r.AmountBasis.OTHER)
        values = [(v, "ratio") for v, _ in values]
    else:
        basis = r.AmountBasis.FIXED
        if len(values) == 2 and values[0][1] == "bare" and values[1][1] == "yuan":
            values[0] = (values[0][0], "yuan")  # 二百以上五百元以下
        if any(k == "bare" for _, k in values):
            return None
        label = ""
    if basis is r.AmountBasis.OTHER and not label:
        return None
    lo = values[0][0]
    if len(values) == 2 and piece[first.end():].lstrip().startswith("以上"):
        return ParsedAmount(basis, lo, values[1][0], label if basis is not r.AmountBasis.FIXED else "")
    if rest.lstrip().startswith("以下"):
        return ParsedAmount(basis, Decimal(0), lo, label if basis is not r.AmountBasis.FIXED else "")
    if rest.lstrip().startswith("以上") and len(values) == 1:
        return ParsedAmount(basis, lo, None, label if basis is not r.AmountBasis.FIXED else "")
    return ParsedAmount(basis, lo, lo, label if basis is not r.AmountBasis.FIXED else "")


_KIND_PATTERNS = (
    (r.PenaltyKind.WARNING, r"警告"),
    (r.PenaltyKind.CRITICISM, r"通报批评"),
    (r.PenaltyKind.FINE, r"罚款"),
    (r.PenaltyKind.CONFISCATE_GAINS, r"没收违法所得"),
    (r.PenaltyKind.CONFISCATE_PROPERTY, r"没收(?!违法所得)"),
    (r.PenaltyKind.PERMIT_SUSPENSION, r"暂扣"),
    (r.PenaltyKind.DOWNGRADE, r"降低资质"),
    (r.PenaltyKind.PERMIT_REVOCATION, r"吊销"),
    (r.PenaltyKind.RESTRICT_OPERATION, r"限制生产|限制开展生产经营"),
    (r.PenaltyKind.SUSPENSION, r"责令停产停业|责令停业|停产整治|停业整治"),
    (r.PenaltyKind.CLOSURE, r"责令关闭"),
    (r.PenaltyKind.OCCUPATIONAL_BAR, r"禁止从事|限制从业"),
    (r.PenaltyKind.DETENTION, r"拘留"),
)


def penalty_kinds(standard: str) -> tuple[r.PenaltyKind, ...]:
    """The APL art.9 kinds a 裁量标准 text imposes, in the order of the closed list."""
    return tuple(kind for kind, pattern in _KIND_PATTERNS if re.search(pattern, standard))


# --- Parsing the layout ---------------------------------------------------------------------

HEADER = {"seq": "序号", "act": "违法行为", "basis": "法律依据", "category": "类别", "conditions": "裁量情节",
          "standard": "裁量标准", "remark": "备注"}


@dataclass
class ParsedGrade:
    row: int
    category: str
    conditions: list[str] = field(default_factory=list)
    standard: str = ""
    amount: ParsedAmount | None = None
    kinds: tuple[r.PenaltyKind, ...] = ()


@dataclass
class ParsedBenchmark:
    sheet: str
    row: int
    seq: str
    act: str
    legal_basis: str
    law_title: str
    part: int = 1
    subtitle: str = ""
    remark: str = ""
    grades: list[ParsedGrade] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.seq if self.part == 1 else f"{self.seq}-{self.part}"

    sub_name: str = ""

    @property
    def name(self) -> str:
        first = self.act.strip().splitlines()[0].strip() if self.act.strip() else self.act
        return first[:300]

    @property
    def item_key(self) -> tuple[str, str]:
        return (self.name, self.sub_name)


def _header_columns(row: list[str]) -> dict[str, int] | None:
    cells = [re.sub(r"\s+", "", c) for c in row]
    found = {}
    for key, title in HEADER.items():
        if title in cells:
            found[key] = cells.index(title)
    required = {"seq", "act", "category", "conditions", "standard"}
    return found if required <= found.keys() else None


def _cell(row: list[str], columns: dict[str, int], key: str) -> str:
    i = columns.get(key)
    return row[i].strip() if i is not None and i < len(row) else ""


def parse_sheets(sheets) -> tuple[list[ParsedBenchmark], list[RowError], int]:
    """Benchmarks read from every sheet, every row error, and the number of data rows read."""
    reader = _TableReader()
    for sheet in sheets:
        reader.read_sheet(sheet)
    parsed, errors = reader.parsed, reader.errors
    _name_sub_items(parsed)
    if not reader.any_header:
        raise ImportRejected("未找到表头（序号、违法行为、法律依据、类别、裁量情节、裁量标准），请使用公布的裁量基准表格式")
    for bench in parsed:
        if not bench.grades:
            errors.append(RowError(bench.row, f"{bench.sheet} 裁量情节", "该违法行为没有任何裁量档次"))
    return parsed, errors, reader.data_rows


def _name_sub_items(parsed: list[ParsedBenchmark]) -> None:
    """A further table's subtitle names its sub-item; the law's title is added where two sheets
    (two laws) share a violation name."""
    counts: dict[tuple[str, str], int] = {}
    for bench in parsed:
        counts[(bench.name, bench.subtitle)] = counts.get((bench.name, bench.subtitle), 0) + 1
    for bench in parsed:
        parts = [bench.subtitle] if bench.subtitle else []
        if counts[(bench.name, bench.subtitle)] > 1 and bench.law_title:
            parts.insert(0, f"《{bench.law_title}》")
        bench.sub_name = "，".join(parts)[:300]


@dataclass
class _TableReader:
    """Reads the rows of the sheets: a title row (the law), the header, then groups of rows per
    violation (序号), each row a grade (类别) or a further condition of the grade above."""

    parsed: list[ParsedBenchmark] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    data_rows: int = 0
    any_header: bool = False

    def read_sheet(self, sheet) -> None:
        columns = None
        law_title = ""
        current: ParsedBenchmark | None = None
        grade: ParsedGrade | None = None
        for index, row in enumerate(sheet.rows):
            number = index + 1
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _header_columns(row)
                if columns is None:
                    text = next((c for c in row if c.strip()), "")
                    match = re.search(r"《([^》]+)》", text)
                    law_title = match.group(1) if match else text.strip()
                else:
                    self.any_header = True
                continue
            self.data_rows += 1
            cells = {key: _cell(row, columns, key) for key in ("seq", "act", "basis", "category", "conditions", "standard", "remark")}
            where = f"{sheet.name} "
            cells["category"] = self._category(number, where, cells["category"])
            started = self._benchmark_of_row(sheet.name, number, where, cells, current, law_title)
            if started is None:
                continue
            if started is not current:
                current, grade = started, None
            if cells["category"] or cells["standard"] or grade is None:
                grade = self._grade(number, where, cells, grade)
                current.grades.append(grade)
            if cells["conditions"]:
                grade.conditions.append(cells["conditions"])

    def _category(self, number: int, where: str, category: str) -> str:
        """类别 as a positive integer's text, or "" (with an error) when it is not one."""
        if not category:
            return category
        try:
            value = Decimal(category)
            if value != value.to_integral_value() or value < 1:
                raise ValueError
            return str(int(value))
        except Exception:
            self.errors.append(RowError(number, f"{where}类别", f"类别「{category}」应为正整数"))
            return ""

    def _benchmark_of_row(self, sheet_name: str, number: int, where: str, cells: dict, current: ParsedBenchmark | None,
                          law_title: str) -> ParsedBenchmark | None:
        """The benchmark the row belongs to: a new one at a new 序号 or at a further table inside
        the group (类别 1 again), else the current one; None for a row before any 序号."""
        seq, act, basis, remark = cells["seq"], cells["act"], cells["basis"], cells["remark"]
        if seq:
            if not act:
                self.errors.append(RowError(number, f"{where}违法行为", "新序号的第一行须填写违法行为"))
            current = ParsedBenchmark(sheet_name, number, seq, act, basis, law_title, remark=remark)
            self.parsed.append(current)
        elif current is None:
            self.errors.append(RowError(number, f"{where}序号", "第一行须填写序号"))
        elif cells["category"] == "1" and current.grades:
            # A second table inside the group (e.g. “逾期不拆除的”): a further benchmark.
            subtitle = re.split(r"[，,；;。]", basis)[0].strip() if basis else f"续{current.part + 1}"
            current = ParsedBenchmark(sheet_name, number, current.seq, current.act, basis or current.legal_basis,
                                      law_title, part=current.part + 1, subtitle=subtitle[:60], remark=remark)
            self.parsed.append(current)
        elif remark and not current.remark:
            current.remark = remark
        return current

    def _grade(self, number: int, where: str, cells: dict, previous: ParsedGrade | None) -> ParsedGrade:
        """A new grade; 类别 and 裁量标准 carry from the grade above when merged (left empty)."""
        category = cells["category"] or (previous.category if previous else "1")
        standard = cells["standard"]
        if not standard and previous is not None:
            standard = previous.standard  # vertically merged 裁量标准
        grade = ParsedGrade(number, category, standard=standard)
        if not standard:
            self.errors.append(RowError(number, f"{where}裁量标准", "档次缺少裁量标准"))
            return grade
        try:
            grade.amount = parse_fine(standard)
        except ValueError as exc:
            self.errors.append(RowError(number, f"{where}裁量标准", str(exc)))
        grade.kinds = penalty_kinds(standard)
        amount = grade.amount
        if amount and amount.maximum is not None and amount.minimum is not None and amount.minimum > amount.maximum:
            self.errors.append(RowError(number, f"{where}裁量标准", "罚款下限大于上限"))
        return grade


# --- The importer ---------------------------------------------------------------------------

def _items_by_key(queryset) -> dict:
    """The body's items by (name, sub_name); an item also answers to its bare name when that
    name is unique among the body's items (a power list names the violation, not the law)."""
    found: dict = {}
    names: dict[str, list] = {}
    for item in queryset:
        found[(item.name, item.sub_name)] = item
        names.setdefault(item.name, []).append(item)
    for name, group in names.items():
        if len(group) == 1:
            found.setdefault((name, ""), group[0])
    return found


@dataclass(frozen=True)
class _Settings:
    """What the run applies to every benchmark: options given, else the known source's, else defaults."""

    version: str
    valid_from: dt.date
    valid_to: dt.date | None
    policy: r.DiscretionPolicy
    title: str
    publish: bool
    factors: tuple
    notes: str


def _settings(request: ImportRequest) -> _Settings:
    from zhifa.core import clock

    source = known_source(request.filename)
    options = request.options
    return _Settings(
        version=options.get("version") or (source.version if source else f"导入{clock.today():%Y%m%d}"),
        valid_from=options.get("valid_from") or (source.valid_from if source else clock.today()),
        valid_to=source.valid_to if source else None,
        policy=source.policy if source else r.DEFAULT_POLICY,
        title=options.get("title") or (source.title if source else request.filename),
        publish=options.get("publish", source is not None),
        factors=source.factors if source else (),
        notes=source.notes if source else "",
    )


def _importing_body(request: ImportRequest):
    from zhifa.registry import access
    from zhifa.registry.models import Body

    body = Body.objects.filter(code=request.body_code).first()
    if body is None:
        raise ImportRejected(f"未找到执法主体「{request.body_code}」")
    actor = request.actor
    if actor is not None and not access.can_manage_body(actor, body):
        raise ImportRejected("无权为该执法主体导入裁量基准（须为系统管理员或本主体负责人）")
    return body


def import_benchmark_request(request: ImportRequest) -> Plan:
    """Validate a discretion table and plan its benchmarks: one per violation (and per further
    table inside a group), attached to the body's item of that name, created when missing; the
    version's benchmarks of the body are replaced as a whole."""
    from zhifa.catalog.models import Benchmark, Item

    body = _importing_body(request)
    parsed, errors, data_rows = parse_sheets(request.sheets)
    plan = Plan(total_rows=data_rows, errors=errors)
    if errors:
        return plan
    settings = _settings(request)
    items = _items_by_key(Item.objects.filter(body=body))
    existing = set(Benchmark.objects.filter(item__body=body, version=settings.version).values_list("item_id", flat=True))
    plan.updated = sum(1 for bench in parsed if (item := items.get(bench.item_key)) is not None and item.pk in existing)
    plan.created = len(parsed) - plan.updated

    def write() -> None:
        _create_missing_items(request, body, parsed, items, settings)
        items_now = _items_by_key(Item.objects.filter(body=body))
        Benchmark.objects.filter(item__body=body, version=settings.version).delete()
        Benchmark.objects.bulk_create([_benchmark_row(request, body, bench, items_now[bench.item_key], settings)
                                       for bench in parsed])
        _write_grades_and_factors(body, parsed, items_now, settings)

    plan.write = write
    return plan


def _create_missing_items(request: ImportRequest, body, parsed: list[ParsedBenchmark], items: dict, settings: _Settings) -> None:
    """A violation with no item of that name becomes a penalty item ``<body>-CL-<序号>``."""
    from zhifa.catalog.models import Item

    new_items = [
        Item(code=f"{body.code}-CL-{bench.key}"[:40], name=bench.name, sub_name=bench.sub_name, kind=Item.Kind.PENALTY,
             legal_basis=bench.legal_basis or bench.law_title, body=body, valid_from=settings.valid_from,
             source=f"{request.filename} {bench.sheet} 第{bench.row}行"[:200], source_seq=bench.key[:20])
        for bench in parsed if bench.item_key not in items
    ]
    taken = set(Item.objects.filter(code__in=[i.code for i in new_items]).values_list("code", flat=True))
    for item in new_items:
        if item.code in taken:
            raise ImportRejected(f"事项编码「{item.code}」已被其他事项占用，请先处理后再导入")
    Item.objects.bulk_create(new_items)


def _benchmark_row(request: ImportRequest, body, bench: ParsedBenchmark, item, settings: _Settings):
    from zhifa.catalog.models import Benchmark

    policy, publish = settings.policy, settings.publish
    return Benchmark(
        item=item, body=body, version=settings.version,
        status=Benchmark.Status.PUBLISHED if publish else Benchmark.Status.DRAFT,
        published_on=settings.valid_from if publish else None, valid_from=settings.valid_from, valid_to=settings.valid_to,
        title=f"{settings.title}序号{bench.key}", legal_basis=bench.legal_basis,
        lighter_fraction=policy.lighter_fraction, lighter_citation=policy.lighter_citation,
        heavier_fraction=policy.heavier_fraction, heavier_citation=policy.heavier_citation,
        mitigation_floor=policy.mitigation_floor, mitigation_citation=policy.mitigation_citation,
        multi_grade_citation=policy.multi_grade_citation, raise_grade_citation=policy.raise_grade_citation,
        source=f"{request.filename} {bench.sheet} 第{bench.row}行"[:300],
        notes="\n".join(x for x in (bench.remark, settings.notes) if x),
    )


def _write_grades_and_factors(body, parsed: list[ParsedBenchmark], items: dict, settings: _Settings) -> None:
    """Each benchmark's grades as read, and the source's factors (情节) on every benchmark."""
    from zhifa.catalog.models import Benchmark, BenchmarkGrade, Factor

    saved = {b.item_id: b for b in Benchmark.objects.filter(item__body=body, version=settings.version)}
    grades, factor_rows = [], []
    for bench in parsed:
        saved_bench = saved[items[bench.item_key].pk]
        grades += [_grade_row(saved_bench, order, g, bench.remark) for order, g in enumerate(bench.grades, 1)]
        factor_rows += [Factor(benchmark=saved_bench, kind=f.kind.value, code=f.code, description=f.description,
                               effect=f.effect.value, citation=f.citation, mandatory=f.mandatory) for f in settings.factors]
    BenchmarkGrade.objects.bulk_create(grades)
    Factor.objects.bulk_create(factor_rows)


def _grade_row(benchmark, order: int, g: ParsedGrade, remark: str):
    from zhifa.catalog.models import BenchmarkGrade

    amount = g.amount
    text = g.standard + remark
    return BenchmarkGrade(
        benchmark=benchmark, order=order, name=f"第{g.category}档", conditions="；\n".join(g.conditions),
        penalty_kinds=[k.value for k in g.kinds],
        amount_basis=amount.basis.value if amount else r.AmountBasis.FIXED.value,
        basis_label=amount.label if amount else "",
        amount_min=amount.minimum if amount else None, amount_max=amount.maximum if amount else None,
        confiscate_gains="没收违法所得" in text, confiscate_property=bool(re.search(r"没收(?!违法所得)", g.standard)),
        other_penalties=remark, standard_text=g.standard,
    )


def import_benchmarks(data: bytes, filename: str, body_code: str, dry_run: bool = False, actor=None, **options) -> ImportResult:
    """Import a published discretion table for ``body_code`` (all or nothing)."""
    return run_import("benchmarks", data, filename, body_code=body_code, dry_run=dry_run, actor=actor, options=options)


register("benchmarks", import_benchmark_request, LABEL, needs_body=True)
