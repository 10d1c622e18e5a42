"""R10: importing the real published discretion table (江门市生态环境局裁量标准参照表, 2020)."""
from __future__ import annotations

import io
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from zhifa.catalog import benchmark_import as bi
from zhifa.catalog import rules as r
from zhifa.catalog.models import Benchmark, BenchmarkGrade, Factor, Item
from zhifa.registry.models import Body
from tests.factories import BodyFactory, ItemFactory

REAL = Path(__file__).resolve().parents[3] / "shared" / "data" / "benchmarks" / "jiangmen-ecology-environment-discretion-2020.xls"
if not REAL.exists():  # the CI clone has shared/ beside the repository
    REAL = Path("/work/shared/data/benchmarks/jiangmen-ecology-environment-discretion-2020.xls")


@pytest.fixture
def ecology(world):
    return BodyFactory(code="STHJJ", name="示例市生态环境局", jurisdiction=world.city, sector=Body.Sector.ECOLOGY)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("二十", 20), ("一百五十", 150), ("五千", 5000), ("十万", 100000), ("一万八千", 18000),
        ("二百", 200), ("一百万", 1000000), ("3.5", D("3.5")), ("两", 2),
    ],
)
def test_chinese_numbers(text, expected):
    assert bi.chinese_number(text) == D(expected)


@pytest.mark.parametrize(
    "text, basis, lo, hi, label",
    [
        ("责令改正，处二万元以上五万元以下罚款", "fixed", 20000, 50000, ""),
        ("责令备案，处一万元以下罚款", "fixed", 0, 10000, ""),
        ("责令改正，处二十万元罚款", "fixed", 200000, 200000, ""),
        ("责令停止违法行为，可以处二百以上五百元以下的罚款", "fixed", 200, 500, ""),
        ("处二十万元以上三十万元以下元罚款", "fixed", 200000, 300000, ""),
        ("没收违法所得，处10万元以上20万元以下罚款", "fixed", 100000, 200000, ""),
        ("责令停止建设，处建设项目总投资额百分之一以上百分之二以下的罚款", "other", D("0.01"), D("0.02"), "建设项目总投资额"),
        ("处所收费用三倍以上四倍以下的罚款", "other", 3, 4, "所收费用"),
        ("责令改正，处货值金额1倍以上2倍以下的罚款", "goods_value", 1, 2, "货值金额"),
        ("没收违法所得，可以并处违法所得一倍的罚款", "illegal_gains", 1, 1, "违法所得"),
        ("处以直接损失20%的罚款；对责任人员可以处上一年度从本单位取得收入10%以上20%以下的罚款", "other", D("0.2"), D("0.2"), "直接损失"),
    ],
)
def test_r10_fine_texts_as_published(text, basis, lo, hi, label):
    parsed = bi.parse_fine(text)
    assert (parsed.basis.value, parsed.minimum, parsed.maximum, parsed.label) == (basis, D(lo), D(hi), label)


def test_r10_penalty_kinds_from_the_closed_list():
    assert bi.penalty_kinds("给予警告") == (r.PenaltyKind.WARNING,)
    assert bi.penalty_kinds("处所收费用五倍的罚款，禁止从事环境影响报告书编制工作") == (r.PenaltyKind.FINE, r.PenaltyKind.OCCUPATIONAL_BAR)
    assert bi.penalty_kinds("没收违法所得，并处违法所得一倍罚款") == (r.PenaltyKind.FINE, r.PenaltyKind.CONFISCATE_GAINS)
    assert bi.parse_fine("报经有批准权的人民政府批准，责令停业") is None


def test_r10_import_the_real_jiangmen_table(ecology, django_assert_max_num_queries):
    data = REAL.read_bytes()
    with django_assert_max_num_queries(80):
        result = bi.import_benchmarks(data, REAL.name, "STHJJ")
    assert result.ok, [str(e) for e in result.errors]
    # 12 sheets, 172 benchmarks (165 序号 + 7 second tables such as “逾期不拆除的”), 686 grades.
    assert Benchmark.objects.filter(body=ecology).count() == 172 == result.created
    assert BenchmarkGrade.objects.filter(benchmark__body=ecology).count() == 686
    assert Factor.objects.filter(benchmark__body=ecology).count() == 172 * len(bi.JIANGMEN_FACTORS)
    assert Item.objects.filter(body=ecology).count() == 172
    assert not Benchmark.objects.exclude(status=Benchmark.Status.PUBLISHED).exists()

    b = Benchmark.objects.get(item__code="STHJJ-CL-1-2")
    assert b.item.name == "未依法备案建设项目环境影响登记表的"
    grades = list(b.grades.order_by("order"))
    assert [(g.name, g.amount_min, g.amount_max) for g in grades] == [
        ("第1档", D(0), D(10000)), ("第2档", D(10000), D(20000)), ("第3档", D(20000), D(40000)), ("第4档", D(40000), D(50000)),
    ]
    assert grades[0].conditions == "无生产、经营污染物排放"
    assert b.valid_from.isoformat() == "2020-03-01" and "粤环发〔2021〕7号" in b.lighter_citation

    # The percentage of total investment (环境影响评价法第三十一条).
    g = BenchmarkGrade.objects.get(benchmark__item__code="STHJJ-CL-1-1", order=1)
    assert (g.amount_basis, g.basis_label, g.amount_min, g.amount_max) == ("other", "建设项目总投资额", D("0.01"), D("0.02"))
    # Several circumstances of one 类别 are joined; a merged 裁量标准 is inherited.
    g2 = BenchmarkGrade.objects.get(benchmark__item__code="STHJJ-CL-1-1", order=2)
    assert "报告表项目，主体工程已建设完成的" in g2.conditions and "报告书项目，主体工程未建设完成的" in g2.conditions
    # A second table inside a group becomes its own item.
    sub = Item.objects.get(code="STHJJ-CL-2-9-2")
    assert sub.sub_name == "逾期不拆除的"
    # Same violation under two laws: told apart by the law.
    assert Item.objects.get(code="STHJJ-CL-2-1").sub_name == "《中华人民共和国水污染防治法》"

    again = bi.import_benchmarks(data, REAL.name, "STHJJ")
    assert again.ok and again.updated == 172 and again.created == 0
    assert Benchmark.objects.filter(body=ecology).count() == 172


def test_r10_import_matches_existing_items_by_name(ecology):
    name = "技术单位违反国家有关环境影响评价标准和技术规范等规定，致使其编制的建设项目环境影响报告书、环境影响报告表存在严重质量问题的"
    item = ItemFactory(body=ecology, code="ENV-0001", name=name)
    result = bi.import_benchmarks(REAL.read_bytes(), REAL.name, "STHJJ", dry_run=True)
    assert result.ok and result.dry_run and not Benchmark.objects.exists()
    bi.import_benchmarks(REAL.read_bytes(), REAL.name, "STHJJ")
    assert item.benchmarks.count() == 1
    assert not Item.objects.filter(code="STHJJ-CL-1-4").exists()


def _xlsx(rows) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


HEAD = ["序号", "违法行为", "法律依据", "类别", "裁量情节", "裁量标准", "备注"]


def test_r10_bad_rows_import_nothing_and_are_each_reported(ecology):
    data = _xlsx([
        ["一、《示例法》"],
        HEAD,
        ["1", "某违法行为", "《示例法》第一条", "一档", "情节", "处一万元以下罚款", ""],
        ["", "", "", "2", "情节2", "处五万元以上二万元以下罚款", ""],
        ["2", "", "", "1", "情节", "处一万元罚款", ""],
    ])
    result = bi.import_benchmarks(data, "bad.xlsx", "STHJJ")
    assert not result.ok
    assert [(e.row, e.column.split()[-1]) for e in result.errors] == [(3, "类别"), (4, "裁量标准"), (5, "违法行为")]
    assert not Benchmark.objects.exists() and not Item.objects.filter(body=ecology).exists()


def test_r10_unknown_body_and_missing_header_are_refused(ecology):
    assert "未找到执法主体" in str(bi.import_benchmarks(_xlsx([HEAD]), "x.xlsx", "NOPE").errors[0])
    result = bi.import_benchmarks(_xlsx([["a", "b"], ["c", "d"]]), "x.xlsx", "STHJJ")
    assert "未找到表头" in str(result.errors[0])


def test_r10_generic_file_imports_as_draft(ecology):
    data = _xlsx([HEAD, ["1", "某违法行为", "《示例法》第一条", "1", "情节", "处一万元以下罚款", ""]])
    result = bi.import_benchmarks(data, "any.xlsx", "STHJJ")
    assert result.ok and result.created == 1
    assert Benchmark.objects.get().status == Benchmark.Status.DRAFT


def test_r10_importer_is_registered():
    from zhifa.core.importing import get_importer

    assert get_importer("benchmarks").needs_body
