"""The coreference scorer on the worked examples of the CoNLL reference scorer's
test suite (Pradhan et al. 2014): key {a} {bc} {def} against responses A1-A4 with
the expected recall/precision listed in its ``CorefMetricTestConfig.pm``, and the
paper's running example, checked by hand."""

from __future__ import annotations

import pytest

from newsweave.coref_scores import Counts, b_cubed, ceaf_e, max_assignment, muc, score

KEY = [{"a"}, {"b", "c"}, {"d", "e", "f"}]


def _rp(counts: Counts) -> tuple[float, float]:
    return (counts.score.recall, counts.score.precision)


def test_a_perfect_response_scores_one_everywhere() -> None:
    result = score(KEY, [{"a"}, {"c", "b"}, {"f", "e", "d"}])
    assert result.conll_f1 == pytest.approx(1.0)
    assert _rp(result.muc) == _rp(result.b3) == _rp(result.ceafe) == (1.0, 1.0)


def test_tc_a2_missing_mentions() -> None:
    response = [{"a"}, {"d", "e"}]
    assert _rp(muc(KEY, response)) == pytest.approx((1 / 3, 1.0))
    assert _rp(b_cubed(KEY, response)) == pytest.approx(((7 / 3) / 6, 1.0))
    assert _rp(ceaf_e(KEY, response)) == pytest.approx((0.6, 0.9))
    assert b_cubed(KEY, response).score.f1 == pytest.approx(14 / 25)


def test_tc_a3_false_alarm_mentions() -> None:
    response = [{"a"}, {"b", "c", "x"}, {"d", "e", "f", "y"}, {"z"}]
    assert _rp(muc(KEY, response)) == pytest.approx((1.0, 3 / 5))
    assert _rp(b_cubed(KEY, response)) == pytest.approx((1.0, (4 + 7 / 12) / 9))
    assert _rp(ceaf_e(KEY, response)) == pytest.approx((0.88571, 0.66429), abs=1e-5)


def test_tc_a4_missing_and_false_alarm_mentions() -> None:
    response = [{"a"}, {"b", "c", "x"}, {"d", "y"}, {"z"}]
    assert _rp(muc(KEY, response)) == pytest.approx((1 / 3, 1 / 3))
    assert _rp(b_cubed(KEY, response)) == pytest.approx(((3 + 1 / 3) / 6, (1 + 4 / 3 + 1 / 2) / 7))
    assert _rp(ceaf_e(KEY, response)) == pytest.approx((0.73333, 0.55), abs=1e-5)


def test_the_papers_running_example_by_hand() -> None:
    # key {abc} {defg}, response {ab} {cd} {fghi} (Pradhan et al. 2014, section 2)
    key = [set("abc"), set("defg")]
    response = [set("ab"), set("cd"), set("fghi")]
    # MUC: key links kept ((3-2) + (4-3)) / (2 + 3); response ((2-1) + (2-2) + (4-3)) / (1 + 1 + 3)
    assert _rp(muc(key, response)) == pytest.approx((2 / 5, 2 / 5))
    # B3 recall: a, b 2/3; c 1/3; d 1/4; e 0; f, g 2/4 -> 35/12 over 7 mentions
    # B3 precision: a, b 1; c, d 1/2; f, g 2/4; h, i 0 -> 4 over 8 mentions
    assert _rp(b_cubed(key, response)) == pytest.approx(((35 / 12) / 7, 4 / 8))
    # CEAF-e: best alignment {abc}-{ab} (4/5) and {defg}-{fghi} (4/8) = 1.3
    assert _rp(ceaf_e(key, response)) == pytest.approx((1.3 / 2, 1.3 / 3))


def test_singletons_count_in_b3_and_ceafe_but_not_muc() -> None:
    key = [{"a"}, {"b"}, {"c"}]
    response = [{"a", "b", "c"}]
    result = score(key, response)
    assert _rp(result.muc) == (0.0, 0.0) and result.muc.score.f1 == 0.0
    assert _rp(result.b3) == pytest.approx((1.0, 1 / 3))
    assert _rp(result.ceafe) == pytest.approx((0.5 / 3, 0.5))


def test_scores_pool_by_summing_counts() -> None:
    one = score([{"a", "b"}], [{"a"}, {"b"}])
    two = score([{"c", "d"}], [{"c", "d"}])
    pooled = one + two
    assert _rp(pooled.muc) == pytest.approx((1 / 2, 1.0))
    assert _rp(pooled.b3) == pytest.approx(((1 + 2) / 4, 1.0))


def test_a_mention_in_two_clusters_is_refused() -> None:
    with pytest.raises(ValueError, match="two clusters"):
        muc([{"a", "b"}, {"b"}], [{"a"}])


def test_the_assignment_is_optimal_not_greedy() -> None:
    # greedy on the largest cell takes 0.9 then 0.1 (1.0); the optimum is 0.8 + 0.8
    assert max_assignment([[0.9, 0.8], [0.8, 0.1]]) == pytest.approx(1.6)
    assert max_assignment([[0.5, 0.2, 0.1]]) == pytest.approx(0.5)
    assert max_assignment([[0.2], [0.7], [0.1]]) == pytest.approx(0.7)
