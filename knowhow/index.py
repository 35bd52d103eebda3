"""The similarity index: an inverted index (term → request, weight) kept in the database, and the query over it.

A document is a past request (resolved or closed): its title and description, and its case's summary when a case is
published. Stored weights are sublinear term frequencies, L2-normalised per document (they do not depend on the rest
of the corpus, so indexing one request never rewrites the others); the inverse document frequency is applied at query
time from `Term.document_count`, kept up to date with F() increments. The score of a document is
Σ_t idf(t)·q(t)·d(t) with q the query's tf·idf vector, L2-normalised — a TF-IDF cosine up to the document's norm.

The query reads at most MAX_QUERY_TERMS terms (the query's most distinctive ones first), skips terms present in more
than COMMON_SHARE of the documents (they rank nothing and would read long postings) and stops adding terms once their
postings would exceed POSTING_BUDGET rows, so a suggestion reads a bounded part of the covering index
`knowhow_posting_term` however large the corpus is.
"""

import math

from django.db import transaction
from django.db.models import Case as SqlCase
from django.db.models import F, FloatField, Q, Sum, Value, When

from knowhow.models import CaseStatus, Posting, Term
from knowhow.text import term_frequencies, terms
from support.models import SupportRequest

DOCUMENTS = "#documents"  # the Term row whose count is the number of indexed documents
MAX_QUERY_TERMS = 32
COMMON_SHARE = 0.05
COMMON_FLOOR = 200  # below this many documents nothing counts as common
POSTING_BUDGET = (
    40_000  # at most this many postings read per query (the sum of the chosen terms' frequencies)
)


def document_text(request: SupportRequest) -> str:
    parts = [request.title, request.description]
    case = getattr(request, "case", None) if _has_case(request) else None
    if case is not None and case.status == CaseStatus.PUBLISHED:
        parts += [case.title, case.problem, case.actions, case.lessons]
    return "\n".join(parts)


def _has_case(request) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        request.case  # noqa: B018 - a reverse one-to-one raises when missing
    except ObjectDoesNotExist:
        return False
    return True


def _is_public(request) -> bool:
    return _has_case(request) and request.case.status == CaseStatus.PUBLISHED


def _term_ids(texts) -> dict[str, int]:
    texts = set(texts)
    Term.objects.bulk_create([Term(text=t) for t in texts], ignore_conflicts=True)
    return dict(Term.objects.filter(text__in=texts).values_list("text", "id"))


@transaction.atomic
def index_request(request: SupportRequest) -> int:
    """(Re)index one past request; returns its number of terms. Not a past request → removed from the index."""
    from knowhow.policies import PAST_STATUSES

    remove_request(request.pk)
    if request.status not in PAST_STATUSES:
        return 0
    weights = term_frequencies(document_text(request))
    ids = _term_ids([*weights, DOCUMENTS])
    public = _is_public(request)
    Posting.objects.bulk_create(
        Posting(
            term_id=ids[t],
            request_id=request.pk,
            weight=w,
            organization_id=request.organization_id,
            public=public,
        )
        for t, w in weights.items()
    )
    Term.objects.filter(pk__in=ids.values()).update(document_count=F("document_count") + 1)
    return len(weights)


def remove_request(request_pk: int) -> None:
    term_ids = list(Posting.objects.filter(request_id=request_pk).values_list("term_id", flat=True))
    if not term_ids:
        return
    Posting.objects.filter(request_id=request_pk).delete()
    Term.objects.filter(Q(pk__in=term_ids) | Q(text=DOCUMENTS)).update(document_count=F("document_count") - 1)


def reindex_all() -> int:
    """Rebuild the whole index from the past requests (a command, the demo and the benchmark call it)."""
    from knowhow.policies import PAST_STATUSES

    with transaction.atomic():
        Posting.objects.all().delete()
        Term.objects.all().delete()
        count = 0
        for request in (
            SupportRequest.objects.filter(status__in=PAST_STATUSES).select_related("case").iterator(2000)
        ):
            index_request(request)
            count += 1
    return count


def search(
    text: str, *, scope: Q | None = None, exclude: int | None = None, limit: int = 5
) -> list[tuple[int, float]]:
    """The best matching indexed requests for a text, as (request pk, score), best first. `scope` filters postings
    (knowhow.policies.similarity_scope); `exclude` leaves one request out (the one being looked at)."""
    counts: dict[str, int] = {}
    for term in terms(text):
        counts[term] = counts.get(term, 0) + 1
    if not counts or limit <= 0:
        return []
    rows = {
        t: (pk, df)
        for t, pk, df in Term.objects.filter(text__in=[*counts, DOCUMENTS]).values_list(
            "text", "id", "document_count"
        )
    }
    documents = rows.pop(DOCUMENTS, (None, 0))[1]
    if documents <= 0:
        return []
    common = max(COMMON_FLOOR, COMMON_SHARE * documents)
    query, frequencies = {}, {}
    for term, count in counts.items():
        if term in rows and 0 < rows[term][1] <= common:
            pk, df = rows[term]
            idf = math.log((documents + 1) / (df + 1)) + 1.0
            query[pk] = (1.0 + math.log(count)) * idf * idf  # q(t)·idf(t): the query side of the sum
            frequencies[pk] = df
    if not query:
        return []
    best, budget = [], POSTING_BUDGET
    for pk, w in sorted(query.items(), key=lambda item: item[1], reverse=True):
        if len(best) == MAX_QUERY_TERMS:
            break
        # The most distinctive terms first; a term with more postings than the budget has left is skipped.
        if frequencies[pk] <= budget:
            best.append((pk, w))
            budget -= frequencies[pk]
    if not best:
        return []
    norm = math.sqrt(sum(w * w for _, w in best)) or 1.0
    weight = SqlCase(*(When(term_id=pk, then=Value(w / norm)) for pk, w in best), output_field=FloatField())
    postings = Posting.objects.filter(term_id__in=[pk for pk, _ in best])
    if scope is not None:
        postings = postings.filter(scope)
    if exclude is not None:
        postings = postings.exclude(request_id=exclude)
    ranked = (
        postings.values("request_id")
        .annotate(score=Sum(F("weight") * weight))
        .order_by("-score", "-request_id")[:limit]
    )
    return [(row["request_id"], row["score"]) for row in ranked]
