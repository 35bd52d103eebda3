"""Retrieval quality on the labelled set benchmarks/knowhow_eval.json (80 texts, 16 topics, 260 pairs).

Measured when this was written: precision@3 0.896, MRR 0.963 (SQLite; the ranking is the same SQL on PostgreSQL).
The floors sit a little below (0.85, 0.92) so that an honest change of the table or the tokenisation may move them
a bit, while a regression fails: with the first, smaller normalisation table and no stop list precision@3 was 0.733 and
MRR 0.856. Be aware that the table (knowhow/data/terms.json) was extended while looking at this set's misses, so the
figures are optimistic for unseen wording; new labelled texts are the honest way to raise the floor.

The held-out set benchmarks/knowhow_eval_holdout.json (48 texts, 12 topics, 120 pairs) was written afterwards and
never used to tune the table: measured precision@3 0.340, MRR 0.516 on SQLite (0.512 on PostgreSQL, ties ordered
differently); chance is about 0.06 (3 texts of the same topic among 47). That is what to expect for unseen wording.
Its floors (0.30, 0.45) sit just below the measurement, so that a change of the tokenisation or the index that loses
ground on unseen wording fails, whatever it does on the tuning set. Raise them only with a gain measured on this set
without extending the table from its misses (that would make it a tuning set too: write a new held-out set instead).
"""

import pytest

from benchmarks.bench_knowhow import HOLDOUT, evaluate

PRECISION_AT_3_FLOOR = 0.85
MRR_FLOOR = 0.92
HELD_OUT_PRECISION_AT_3_FLOOR = 0.30
HELD_OUT_MRR_FLOOR = 0.45


@pytest.mark.django_db
def test_precision_at_3_and_mrr_stay_above_their_floors():
    figures = evaluate()
    assert figures["texts"] == 80 and figures["pairs"] >= 60
    assert figures["precision_at_3"] >= PRECISION_AT_3_FLOOR
    assert figures["mrr"] >= MRR_FLOOR
    assert figures["dissimilar_pairs_in_top5"] < figures["similar_pairs_in_top5"]


@pytest.mark.django_db
def test_held_out_precision_at_3_and_mrr_stay_above_their_floors():
    figures = evaluate(HOLDOUT)
    assert figures["texts"] == 48 and figures["pairs"] >= 30
    assert figures["precision_at_3"] >= HELD_OUT_PRECISION_AT_3_FLOOR
    assert figures["mrr"] >= HELD_OUT_MRR_FLOOR
    assert figures["dissimilar_pairs_in_top5"] < figures["similar_pairs_in_top5"]
