"""Pure rules of double random, one public: GB 32100, frequency, the draw (R26–R28)."""
from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.inspections import rules
from zhifa.inspections.rules import Candidate, FrozenList

from .conftest import credit_code


def test_r26_credit_code_check_character():
    assert rules.credit_code_problem("91350100M000100Y43") is None
    assert rules.credit_code_problem("91110000600037341L") is None
    assert "校验码" in rules.credit_code_problem("91350100M000100Y44")
    assert "18 位" in rules.credit_code_problem("9135010")
    assert "不允许的字符" in rules.credit_code_problem("91350100M000100YO3")


@given(st.text(alphabet=rules.CREDIT_CHARS, min_size=17, max_size=17))
def test_r26_any_wrong_check_character_is_caught(first17):
    good = rules.credit_check_char(first17)
    for c in rules.CREDIT_CHARS:
        code = "9" + first17[1:2] + "650203" + first17[8:] + c
        code = code[:17] + c
        expected_ok = c == rules.credit_check_char(code[:17])
        assert (rules.credit_code_problem(code) is None) == expected_ok
    assert len(good) == 1


def test_r27_frequency_exclusion():
    limits = rules.FrequencyLimits(max_per_year=2, min_gap_days=90)
    assert rules.frequency_exclusion(2, 200, limits)[0] == rules.EXCLUDED_YEARLY_LIMIT
    assert rules.frequency_exclusion(1, 30, limits) == (rules.EXCLUDED_RECENT, "30 天前刚被抽查，未满 90 天间隔")
    assert rules.frequency_exclusion(1, 0, limits) == (rules.EXCLUDED_RECENT, "今天刚被抽查，未满 90 天间隔")
    assert rules.frequency_exclusion(1, 90, limits) is None
    assert rules.frequency_exclusion(0, None, limits) is None


def test_r27_weights_and_sample_size():
    assert rules.weight_of(is_abnormal=True, complaint_count=0, flagged_weight=3) == 3
    assert rules.weight_of(is_abnormal=False, complaint_count=2, flagged_weight=3) == 3
    assert rules.weight_of(is_abnormal=False, complaint_count=0, flagged_weight=3) == 1
    from decimal import Decimal

    assert rules.sample_size(101, ratio_percent=Decimal("5"), count=None) == 6  # ceil(5.05)
    assert rules.sample_size(101, ratio_percent=None, count=7) == 7
    assert rules.sample_violations(3, 5)[0].code == rules.SAMPLE_IMPOSSIBLE


def frozen_lists():
    @st.composite
    def build(draw):
        n = draw(st.integers(1, 40))
        weights = draw(st.lists(st.integers(1, 4), min_size=n, max_size=n))
        candidates = tuple(Candidate(credit_code(i), w) for i, w in zip(range(1, n + 1), weights))
        inspectors = tuple(str(i) for i in range(1, draw(st.integers(2, 8)) + 1))
        recusals = draw(st.lists(st.tuples(st.sampled_from([c.credit_code for c in candidates]), st.sampled_from(inspectors)), max_size=20))
        per_entity = draw(st.integers(2, 3))
        sample = draw(st.integers(1, n))
        return FrozenList("1", sample, per_entity, candidates, inspectors, tuple(recusals))
    return build()


@settings(max_examples=80, deadline=None)
@given(frozen_lists(), st.text(min_size=1, max_size=20))
def test_r28_draw_deterministic_respects_recusal_and_sizes(frozen, witness):
    seed = rules.final_seed("d" * 64, "s" * 64, witness)
    first, second = rules.run_draw(frozen, seed), rules.run_draw(frozen, seed)
    assert first.document() == second.document() and first.violations == second.violations
    # the published document round-trips
    assert rules.parse_frozen_document(rules.frozen_document(frozen)) == rules.parse_frozen_document(
        rules.frozen_document(rules.parse_frozen_document(rules.frozen_document(frozen))))
    if first.violations:
        assert {v.code for v in first.violations} <= {rules.INSPECTORS_INSUFFICIENT}
        assert first.assignments == []
        return
    assert len(first.assignments) == frozen.sample
    codes = [code for code, _ in first.assignments]
    assert len(set(codes)) == len(codes)
    blocked = set(frozen.recusals)
    for code, inspectors in first.assignments:
        assert len(inspectors) == frozen.per_entity == len(set(inspectors))
        assert not any((code, i) in blocked for i in inspectors)


def reference_assignment(seed: str, entities: list, inspectors: list, per_entity: int, recusals: list) -> list:
    """Step 5 of docs/inspections.md word for word: entity by entity, take from the front of the
    queue skipping recused inspectors (who keep their place), put the chosen at the back."""
    queue = sorted(inspectors, key=lambda i: (rules.sha256_hex(f"{seed}:inspector:{i}"), i))
    out = []
    for code in entities:
        chosen, skipped = [], []
        while queue and len(chosen) < per_entity:
            inspector = queue.pop(0)
            (skipped if (code, inspector) in recusals else chosen).append(inspector)
        queue = skipped + queue + chosen
        out.append((code, chosen))
    return out


@settings(max_examples=300, deadline=None)
@given(n=st.integers(0, 40), inspectors=st.integers(2, 9), per_entity=st.integers(2, 4),
       recused=st.lists(st.tuples(st.integers(0, 39), st.integers(1, 9)), max_size=30), witness=st.text(max_size=5))
def test_r28_round_robin_dealing_equals_the_reference(n, inspectors, per_entity, recused, witness):
    """Runs of entities without recusals are dealt in bulk (``_deal_round_robin``): the same
    inspectors as one by one, with and without recusals, whatever the queue's length."""
    seed = rules.sha256_hex(witness)
    entities = [credit_code(i + 1) for i in range(n)]
    pool = [str(i) for i in range(1, inspectors + 1)]
    recusals = sorted({(credit_code(e + 1), str(i)) for e, i in recused if e < n and i <= inspectors})
    got, violations = rules.assign_inspectors(seed, entities, pool, per_entity, recusals)
    expected = reference_assignment(seed, entities, pool, per_entity, set(recusals))
    if per_entity > inspectors:
        assert got == [] and violations
        return
    assert got == expected
    assert bool(violations) == any(len(chosen) < per_entity for _, chosen in expected)


def test_r28_workload_balanced_without_recusals():
    frozen = FrozenList("1", 30, 2, tuple(Candidate(credit_code(i)) for i in range(1, 61)), tuple(str(i) for i in range(1, 7)))
    result = rules.run_draw(frozen, "seed")
    load = Counter(i for _, ins in result.assignments for i in ins)
    assert max(load.values()) - min(load.values()) <= 1


def test_r28_selection_frequencies_match_weights():
    """k = 1: each candidate is drawn with probability w / Σw (5-sigma tolerance over 3,000 seeds)."""
    candidates = [Candidate(credit_code(1), 1), Candidate(credit_code(2), 2), Candidate(credit_code(3), 3), Candidate(credit_code(4), 4)]
    trials = 3000
    counts = Counter(rules.select_entities(f"seed-{t}", candidates, 1)[0].credit_code for t in range(trials))
    for c in candidates:
        p = c.weight / 10
        assert abs(counts[c.credit_code] - trials * p) <= rules.binomial_tolerance(trials, p)


def test_r28_seed_depends_on_witness_and_secret():
    a = rules.final_seed("d" * 64, "s" * 64, "123")
    assert a != rules.final_seed("d" * 64, "s" * 64, "124")
    assert a != rules.final_seed("d" * 64, "t" * 64, "123")
    assert rules.commitment_of("s" * 64) == rules.sha256_hex("s" * 64)


def reference_draw(seed: str, candidates: list, k: int) -> list[str]:
    """The algorithm of docs/inspections.md, re-implemented from the text with hashlib only: the
    ticket list in full, a plain Fisher–Yates swap."""
    import hashlib

    rounds = max(c.weight for c in candidates)
    tickets = list(range(len(candidates))) + [p for j in range(1, rounds) for p, c in enumerate(candidates) if c.weight > j]
    drawn: list[int] = []
    i = 0
    while len(drawn) < min(k, len(candidates)):
        r = int(hashlib.sha256(f"{seed}:{i}".encode()).hexdigest(), 16)
        j = i + r % (len(tickets) - i)
        tickets[i], tickets[j] = tickets[j], tickets[i]
        if tickets[i] not in drawn:
            drawn.append(tickets[i])
        i += 1
    return [candidates[p].credit_code for p in drawn]


def test_r28_independent_reimplementation_agrees():
    candidates = sorted((Candidate(credit_code(i), 1 + i % 3) for i in range(1, 50)), key=lambda c: c.credit_code)
    seed = "ab" * 32
    assert [c.credit_code for c in rules.select_entities(seed, candidates, 7)] == reference_draw(seed, candidates, 7)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=300), st.integers(1, 320), st.text(min_size=1, max_size=8))
def test_r28_sparse_shuffle_equals_the_reference(weights, k, witness):
    """draw_candidates (sparse shuffle, no object per candidate) gives exactly the documented
    result; the draw is k distinct candidates (or all of them when k exceeds the list)."""
    candidates = sorted((Candidate(credit_code(i), w) for i, w in enumerate(weights, 1)), key=lambda c: c.credit_code)
    seed = rules.final_seed("d" * 64, "s" * 64, witness)
    drawn = rules.draw_candidates(seed, rules.candidate_block(candidates), len(candidates), k)
    assert drawn == reference_draw(seed, candidates, k)
    assert len(drawn) == len(set(drawn)) == min(k, len(candidates))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 12), min_size=1, max_size=200), st.integers(1, 220))
def test_r28_lines_of_any_width_draw_like_the_reference(weights, k):
    """Weights of two digits make lines of varying width: the section is then read line by line
    (not by the fixed-width slicing), with the same documented result."""
    candidates = sorted((Candidate(credit_code(i), w) for i, w in enumerate(weights, 1)), key=lambda c: c.credit_code)
    seed = rules.final_seed("e" * 64, "s" * 64, str(k))
    assert rules.draw_candidates(seed, rules.candidate_block(candidates), len(candidates), k) == reference_draw(seed, candidates, k)


def exact_inclusion(weights: list[int], k: int) -> list[float]:
    """Exact probability that each candidate is among the k drawn one by one in proportion to
    weight without replacement (by enumerating the draw orders)."""
    from itertools import permutations

    total = [0.0] * len(weights)
    for order in permutations(range(len(weights)), k):
        p, left = 1.0, sum(weights)
        for c in order:
            p *= weights[c] / left
            left -= weights[c]
        for c in order:
            total[c] += p
    return total


def test_r28_inclusion_frequencies_match_the_exact_probabilities():
    """k = 2 of 5 with weights 1–3: over 4,000 seeds each candidate's inclusion count is within
    5 sigma of the exact successive-sampling probability (a fixed tolerance, deterministic seeds)."""
    weights = [1, 1, 2, 3, 3]
    candidates = [Candidate(credit_code(i), w) for i, w in enumerate(weights, 1)]
    trials = 4000
    counts = Counter(c.credit_code for t in range(trials) for c in rules.select_entities(f"seed-{t}", candidates, 2))
    for c, p in zip(candidates, exact_inclusion(weights, 2)):
        assert abs(counts[c.credit_code] - trials * p) <= rules.binomial_tolerance(trials, p), (c, counts[c.credit_code], trials * p)


def test_r29_joint_share_floor():
    assert rules.joint_share(10, 1).meets_floor
    assert not rules.joint_share(11, 1).meets_floor
    assert not rules.joint_share(0, 0).meets_floor


def test_r28_published_document_is_canonical_and_checked():
    frozen = FrozenList("7", 2, 2, (Candidate(credit_code(2), 3), Candidate(credit_code(1))), ("10", "9"),
                        ((credit_code(1), "9"),), ((credit_code(3), rules.EXCLUDED_RECENT),))
    text = rules.frozen_document(frozen)
    assert text.splitlines()[5:7] == [f"{credit_code(1)},1", f"{credit_code(2)},3"]
    assert rules.frozen_document(rules.parse_frozen_document(text)) == text
    data = rules.split_document(text.encode())
    assert (data.candidate_count, data.inspectors, data.recusals) == (2, ["10", "9"], [(credit_code(1), "9")])
    for broken in (text.replace("candidates:2", "candidates:3"), text.replace("inspectors:2", "inspectors:5"),
                   text.replace(",3\n", ",0\n"), text.replace(",3\n", ",a\n"), text.replace(",3\n", ",03\n"), text + "extra\n", text.replace(f"{credit_code(1)},1", credit_code(1))):
        try:
            rules.draw_document(broken.encode(), "seed")
        except rules.MalformedDocument:
            continue
        raise AssertionError(f"accepted a malformed document: {broken!r}")


def test_r28_fast_sha256_is_sha256():
    import hashlib

    for message in (b"", b"abc", b"x" * 200):
        assert rules._sha256(message).digest() == hashlib.sha256(message).digest()
