"""core/redaction.py (legal-rules §I): what the public never sees of a natural person."""
from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from zhifa.core import redaction as r

SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜敏静强磊洋艳勇军杰娟涛明超秀霞平刚"
names = st.builds(lambda s, g: s + g, st.sampled_from(list(SURNAMES)) | st.sampled_from(sorted(r.COMPOUND_SURNAMES)),
                  st.text(alphabet=GIVEN, min_size=1, max_size=2))
birth = st.dates(min_value=dt.date(1920, 1, 1), max_value=dt.date(2020, 12, 31))
ids = st.builds(lambda region, day, order, check: f"{region}{day:%Y%m%d}{order:03d}{check}",
                st.integers(110000, 659999), birth, st.integers(0, 999), st.sampled_from("0123456789X"))
mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}", st.sampled_from("3456789"), st.integers(0, 999_999_999))
accounts = st.builds(lambda n, width: f"{n:0{width}d}", st.integers(10**11, 10**19 - 1), st.integers(16, 19))
filler = st.text(alphabet="的违法行为当事人于经营场所销售，。", max_size=20)


def test_r40_names_are_masked_keeping_the_surname():
    assert r.mask_name("张三") == "张某"
    assert r.mask_name("欧阳娜娜") == "欧阳某"
    assert r.mask_name("李") == "某"
    assert r.mask_name("") == ""


@given(names)
def test_r40_a_masked_name_keeps_its_surname_and_is_stable(name):
    masked = r.mask_name(name)
    assert masked.endswith("某") and name.startswith(masked[:-1])
    assert r.mask_name(masked) == masked


@given(filler, ids, filler, mobiles, filler, accounts, filler)
def test_r40_numbers_never_survive_redaction(a, id_number, b, mobile, c, account, d):
    text = f"{a}身份证号{id_number}{b}电话{mobile}{c}账号{account}{d}"
    out = r.redact_text(text)
    assert id_number not in out and mobile not in out and account not in out
    assert r.redact_text(out) == out


@given(names, filler)
def test_r40_named_persons_are_masked_wherever_they_stand(name, rest):
    out = r.redact_text(f"当事人{name}{rest}，{name}承认", names=[name])
    assert name not in out.replace(r.mask_name(name), "")


@given(st.text(alphabet="的违法行为当事人某公司于经营场所销售罚款元，。", max_size=60))
def test_r40_text_without_personal_data_is_unchanged(text):
    assert r.redact_text(text) == text


def test_r40_examples_of_each_kind():
    out = r.redact_text("张三（身份证号330106199001011234，电话138-0013-8000，固话0571-88886666），"
                        "住杭州市西湖区文三路90号，账户6222 0212 3456 7890，车牌浙A12345。",
                        names=["张三"], addresses=["杭州市西湖区文三路90号"])
    assert out == ("张某（身份证号3****************4，电话138****8000，固话057*****6666），"
                   "住杭州市西湖区（详细地址已隐去），账户************7890，车牌浙A***45。")


def test_r40_organisations_stay_public():
    assert r.party_name("杭州某某贸易有限公司", natural_person=False) == "杭州某某贸易有限公司"
    assert r.party_id_code("91330106MA2GL1234X", natural_person=False) == "91330106MA2GL1234X"
    assert r.redact_text("统一社会信用代码91330106MA2GL1234X") == "统一社会信用代码91330106MA2GL1234X"
    assert re.fullmatch(r"3\*+4", r.party_id_code("330106199001011234", natural_person=True))
