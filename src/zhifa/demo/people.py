"""Believable, fictional people for the demo city (演示数据：人员).

Pure helpers: Chinese names, 18-digit resident ID numbers with the GB 11643-1999 check digit
(公民身份号码校验码), mobile numbers. Everything draws from a ``random.Random`` handed in, so the
same seed gives the same people.
"""
from __future__ import annotations

import datetime as dt
import random

# The most common surnames (roughly by frequency) — frequent ones repeated to weight the draw.
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
    "杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")

MALE_GIVEN = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波", "宇", "浩",
    "建国", "建华", "建军", "志强", "志刚", "国强", "海涛", "晓东", "俊杰", "文博", "子豪", "浩然", "宇航", "振华",
    "永刚", "红军", "立新", "卫东", "春生", "德明", "世杰", "家豪", "天宇", "明远", "泽宇", "博文", "建平", "文涛",
    "云龙", "海波", "光明", "长青", "正阳", "思远", "一鸣", "宏伟", "学军", "庆丰", "兆华", "继东",
)
FEMALE_GIVEN = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玲", "燕", "婷", "雪", "慧", "颖", "琳", "倩", "晶", "洁", "琴",
    "秀兰", "桂英", "丽娟", "晓燕", "海燕", "美玲", "雅琴", "欣怡", "梓涵", "诗雨", "佳怡", "雨欣", "子涵", "思琪",
    "晓丽", "春梅", "红梅", "玉兰", "淑华", "丽华", "文静", "婉婷", "梦瑶", "雅婷", "晓雯", "冬梅", "秋菊", "亚楠",
    "明月", "慧敏", "若曦", "嘉欣", "心怡", "月华", "凤英", "晓红", "爱华", "彩霞",
)

# GB 11643-1999 §8.2: weights of the first 17 digits and the check character for the sum mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

# Birthplaces: mostly the demo city's own county codes, some from other provinces (real area codes).
OTHER_AREA_CODES = ("650102", "650104", "620102", "610103", "510104", "410105", "370102", "320102", "130102", "220102", "420106")

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157",
    "158", "159", "177", "180", "181", "182", "183", "185", "186", "187", "188", "189", "199",
)


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits of a resident ID number."""
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def is_valid_id_number(number: str) -> bool:
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return number[17] == id_check_digit(number[:17])


def id_number(rng: random.Random, area: str, birth: dt.date, male: bool) -> str:
    """A fictional but well-formed 18-digit ID number: area, birth date, sequence (odd for men,
    even for women, GB 11643 §7.3), check digit."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


class NameDrawer:
    """Draws distinct names (a city's staff rarely share a full name; we avoid it for clarity)."""

    def __init__(self, taken: set[str] | None = None):
        self.taken = set(taken or ())

    def draw(self, rng: random.Random, male: bool) -> str:
        for _ in range(50):
            surname = rng.choice(COMPOUND_SURNAMES) if rng.random() < 0.01 else rng.choice(SURNAMES)
            given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
            if not male and len(given) == 1 and rng.random() < 0.15:  # occasionally 丽丽, 婷婷
                given = given * 2
            name = surname + given
            if name not in self.taken:
                self.taken.add(name)
                return name
        return name  # the pool is large; a rare duplicate is realistic anyway


def birth_date(rng: random.Random, today: dt.date, min_age: int, max_age: int) -> dt.date:
    year = today.year - rng.randint(min_age, max_age)
    start = dt.date(year, 1, 1)
    return start + dt.timedelta(days=rng.randrange(365))
