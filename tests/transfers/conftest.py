"""Fixtures of the transfer tests: the case world of tests/cases (market bureau, officer1/2 certified,
officer3 with an expired certificate, aux1, head1, officer_other of the urban bureau, the city's
supervisor), a case under investigation, and ``report`` / ``walk`` helpers."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.cases.conftest import CaseWorld, deferred_documents, frozen_clock  # noqa: F401 — reused fixtures
from tests.conftest import TODAY
from tests.factories import ItemFactory
from zhifa.transfers import services as ts

TEAM = ("officer1", "officer2")


@pytest.fixture
def cw(world) -> CaseWorld:
    item = ItemFactory(body=world.market, code="SJJ-CF-001", name="对销售过期食品的处罚",
                       legal_basis="《中华人民共和国食品安全法》第一百二十四条")
    return CaseWorld(world, item)


class TransferWorld:
    def __init__(self, cw: CaseWorld):
        self.cw = cw

    def actor(self, name):
        return self.cw.actor(name)

    def case(self, to="investigating"):
        return self.cw.walk(self.cw.register(), to)

    def report(self, case=None, team=TEAM, by="officer1", **kw):
        case = case or self.case()
        data = dict(case_id=case.pk, team_officer_ids=[self.cw.officer(n).pk for n in team],
                    suspected_offence="生产、销售不符合安全标准的食品罪", report="经核实，当事人销售过期食品货值金额较大，涉嫌犯罪。")
        data.update(kw)
        return ts.report_transfer(**data, actor=self.actor(by))

    def walk(self, t, to: str):
        head, off = self.actor("head1"), self.actor("officer1")
        steps = {
            "approved": lambda: ts.approve(t.pk, opinion="同意移送", actor=head),
            "dispatched": lambda: ts.dispatch(t.pk, investigation="当事人销售过期食品，货值金额二万元。", exhibits=["过期食品20箱"], actor=off),
            "received": lambda: ts.record_receipt(t.pk, receipt_by="张警官", actor=off),
            "filed": lambda: ts.record_police_decision(t.pk, decision="filed", actor=off),
            "handed_over": lambda: ts.hand_over_items(t.pk, items=["过期食品20箱"], actor=off),
            "closed": lambda: ts.close(t.pk, actor=head),
        }
        for state, step in steps.items():
            step()
            if state == to:
                break
        t.refresh_from_db()
        assert t.state == to, t.state
        return t


@pytest.fixture
def tw(cw) -> TransferWorld:
    return TransferWorld(cw)


def days_after(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)
