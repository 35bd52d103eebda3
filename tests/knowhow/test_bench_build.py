"""The know-how benchmark's corpus builder (benchmarks/bench_knowhow.py) grows the corpus year by year and writes
the same index the application writes, so that a 1,000,000-request run measures the real index."""

import pytest
from django.db.models import Count

from benchmarks import bench_knowhow
from knowhow import index
from knowhow.models import Posting, Term
from support.models import SupportRequest

# DDL (dropping and re-adding the index's keys) and commits per year: PostgreSQL refuses ALTER TABLE with pending
# deferred-constraint events inside the test's transaction, so this test runs outside one.
pytestmark = pytest.mark.django_db(transaction=True)


def _postings_of(request_id):
    return dict(Posting.objects.filter(request_id=request_id).values_list("term__text", "weight"))


def test_the_corpus_grows_to_a_larger_scale_and_its_index_is_the_applications():
    assert bench_knowhow.build(100) is True
    first = set(SupportRequest.objects.values_list("reference", flat=True))
    assert len(first) == 100 and bench_knowhow.build(100) is False  # already there
    bench_knowhow.build(200)
    assert SupportRequest.objects.count() == 200 and first <= set(
        SupportRequest.objects.values_list("reference", flat=True)
    )
    assert Term.objects.get(text=index.DOCUMENTS).document_count == 200
    recount = dict(Posting.objects.values("term_id").annotate(n=Count("pk")).values_list("term_id", "n"))
    stored = dict(Term.objects.exclude(text=index.DOCUMENTS).values_list("pk", "document_count"))
    assert {pk: n for pk, n in stored.items() if n} == recount
    sample = SupportRequest.objects.order_by("pk")[150]
    built = _postings_of(sample.pk)
    index.index_request(sample)  # what the application writes for it
    assert _postings_of(sample.pk) == pytest.approx(built)
