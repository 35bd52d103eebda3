"""Know-how: suggestion latency over a national-scale corpus, and retrieval quality on a labelled set.

Figures:
* `similar_requests_for` (what the request form, the request page and `similarRequests` call) over N_REQUESTS past
  requests, p50/p95 ms as an ICT manager (every organisation) and as a requester (published cases and their own
  organisation's), after a warm-up; target p95 ≤ 100 ms on PostgreSQL. `make bench` builds 100,000 (ten years at
  ~10,000 a year) in a few minutes; "10 years of national-scale requests" (~1,000,000) is
  `BENCH_KNOWHOW_REQUESTS=1000000 .venv/bin/python -m benchmarks.run bench_knowhow` — the same database, grown
  year by year (a larger run adds to what a smaller one built).
* Quality on benchmarks/knowhow_eval.json (80 texts in 16 topics, 260 labelled pairs): precision@3, MRR, and the
  share of similar / dissimilar pairs found in each other's top 5 (every text a query against the others).

The corpus is built once and reused on later runs (recognised by its organisation codes): one fiscal year at a time
(memory stays at one year's rows), requests by bulk INSERT, each distinct text's term vector computed once, postings
by COPY on PostgreSQL, document frequencies added per year (never a recount over the postings). The evaluation runs in a transaction that first empties the index and is rolled back.
"""

import datetime as dt
import json
import os
import random
import statistics
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Q

from benchmarks.scale import scaled

EVAL = Path(__file__).resolve().parent / "knowhow_eval.json"
#: Past requests in the corpus: BENCH_KNOWHOW_REQUESTS overrides it (1,000,000 for ten national-scale years).
N_REQUESTS = int(os.environ.get("BENCH_KNOWHOW_REQUESTS", "0")) or scaled(100_000, 1_000)
N_ORGS = 300
ORG_PREFIX = "BENCH-KH-"
YEARS = range(2006, 2016)
QUERIES = 200

SUBJECTS = [
    "住民情報システム",
    "税務システム",
    "福祉総合システム",
    "介護保険システム",
    "図書館システム",
    "施設予約システム",
    "財務会計システム",
    "文書管理システム",
    "人事給与システム",
    "電子申請サービス",
    "公式ホームページ",
    "防災情報システム",
    "子育て支援アプリ",
    "学校ICT環境",
    "窓口予約サービス",
    "道路管理システム",
    "上下水道料金システム",
    "健診管理システム",
    "保育所入所システム",
    "統計データ基盤",
]
TITLES = (
    "{s}更改に係る調達仕様書の技術的確認",
    "{s}の調達方式と契約形態の相談",
    "{s}刷新プロジェクトの立ち上げ支援",
    "{s}の導入に向けた要件整理",
    "{s}のリニューアルとアクセシビリティ対応",
    "{s}のユーザーテスト実施支援",
    "{s}の情報セキュリティ対策とBCPの見直し",
    "{s}のガバメントクラウド移行とネットワーク設計",
    "{s}データの活用と可視化ダッシュボード",
    "{s}関連業務のローコード・RPA化",
    "職員向け勉強会（{s}とDXの基礎）",
    "{s}に関する技術相談",
    "{s}へのAIチャットボット導入",
    "{s}のペーパーレス化",
    "{s}のオンライン申請対応",
)
SENTENCES = (
    "次年度の契約に向けて技術的な観点から助言をいただきたい。",
    "現行システムの保守期限が近づいている。",
    "利用者目線でサービスを改善したい。",
    "庁内の関係部署との調整方法も相談したい。",
    "費用の見積が妥当か確認したい。",
    "職員の負担を減らしたい。",
    "他自治体の事例があれば知りたい。",
    "スケジュールが厳しく早めに相談したい。",
    "ベンダーからの提案内容を評価してほしい。",
    "標準化への対応も考慮する必要がある。",
    "セキュリティ要件の整理が必要。",
    "住民からの問い合わせが増えている。",
    "紙の手続が多く残っている。",
    "データの連携方法を検討している。",
    "クラウドサービスの利用を検討している。",
    "運用体制の見直しも合わせて行いたい。",
)


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _world(prefix: str, count: int):
    """Organisations (cities), one requester each, and the request categories."""
    from accounts.models import Organization, OrganizationKind, User
    from accounts.roles import ensure_role_groups
    from seeds.reference_support import load_request_categories
    from support.models import RequestCategory

    ensure_role_groups()
    load_request_categories()
    have = Organization.objects.filter(code__startswith=prefix).count()
    Organization.objects.bulk_create(
        Organization(
            kind=OrganizationKind.CITY, code=f"{prefix}{i:04d}", name=f"評価市{i}", name_en=f"City {i}"
        )
        for i in range(have, count)
    )
    orgs = list(Organization.objects.filter(code__startswith=prefix).order_by("code"))
    users = {u.organization_id: u for u in User.objects.filter(organization__in=orgs)}
    User.objects.bulk_create(
        User(email=f"{o.code.lower()}@example.com", organization=o, password="!")
        for o in orgs
        if o.pk not in users
    )
    users = {u.organization_id: u for u in User.objects.filter(organization__in=orgs)}
    return orgs, users, list(RequestCategory.objects.order_by("code"))


def _past_request(reference, fy, title, description, org, user, category, stamp):
    from support.models import Status, SupportRequest

    return SupportRequest(
        reference=reference,
        fiscal_year=fy,
        title=title,
        description=description,
        organization=org,
        requester=user,
        category=category,
        phase="procurement",
        status=Status.CLOSED,
        submitted_at=stamp,
        resolved_at=stamp,
        closed_at=stamp,
    )


def bulk_index(requests, vectors_of=None) -> None:
    """Index many past requests at once: the same weights as knowhow.index.index_request, written in bulk.
    `vectors_of(text)`: a (cached) term_frequencies."""
    from knowhow.index import DOCUMENTS
    from knowhow.models import Posting, Term
    from knowhow.text import term_frequencies

    vectors_of = vectors_of or term_frequencies
    vectors = [(r, vectors_of(f"{r.title}\n{r.description}")) for r in requests]
    df = Counter(t for _, weights in vectors for t in weights)
    Term.objects.bulk_create([Term(text=t) for t in [*df, DOCUMENTS]], ignore_conflicts=True, batch_size=5000)
    ids = dict(Term.objects.filter(text__in=[*df, DOCUMENTS]).values_list("text", "id"))
    rows = ((ids[t], r.pk, w, r.organization_id, False) for r, weights in vectors for t, w in weights.items())
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                "COPY knowhow_posting (term_id, request_id, weight, organization_id, public) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        Posting.objects.bulk_create(
            (
                Posting(term_id=a, request_id=b, weight=c, organization_id=d, public=e)
                for a, b, c, d, e in rows
            ),
            batch_size=5000,
        )
    df[DOCUMENTS] = len(vectors)
    with (
        connection.cursor() as cursor
    ):  # add this batch's document frequencies (no recount over all postings)
        cursor.executemany(
            "UPDATE knowhow_term SET document_count = document_count + %s WHERE id = %s",
            [(count, ids[t]) for t, count in df.items()],
        )


def build(n_requests: int | None = None) -> bool:
    """Grow the corpus to `n_requests` (N_REQUESTS) past requests over ten fiscal years, a year per transaction."""
    from functools import lru_cache

    from knowhow.text import term_frequencies
    from support.models import SupportRequest

    n_requests = n_requests or N_REQUESTS
    orgs, users, categories = _world(ORG_PREFIX, N_ORGS)
    if SupportRequest.objects.filter(organization__in=orgs).count() >= n_requests:
        return False
    vectors_of = lru_cache(maxsize=500_000)(term_frequencies)  # the generator repeats texts: one vector each
    per_year = n_requests // len(YEARS)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a benchmark's own data: no need to wait for each commit's fsync
            cursor.execute("SET synchronous_commit = off")
    with _posting_indexes_dropped():
        for fy in YEARS:
            have = SupportRequest.objects.filter(organization__in=orgs, fiscal_year=fy).count()
            if have < per_year:
                with transaction.atomic():
                    _build_year(fy, have, per_year, orgs, users, categories, vectors_of)
    return True


@contextmanager
def _posting_indexes_dropped():
    """On PostgreSQL, load the postings without their two indexes and build them once at the end (a sorted build
    instead of tens of millions of index insertions): the usual bulk-load recipe."""
    from knowhow.models import Posting

    if connection.vendor != "postgresql":
        yield
        return
    meta = Posting._meta
    with connection.schema_editor() as editor:
        for index in meta.indexes:
            editor.remove_index(Posting, index)
        for constraint in meta.constraints:
            editor.remove_constraint(Posting, constraint)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            for constraint in meta.constraints:
                editor.add_constraint(Posting, constraint)
            for index in meta.indexes:
                editor.add_index(Posting, index)


def _build_year(fy, have, per_year, orgs, users, categories, vectors_of) -> None:
    """Requests KH-<fy>-<have+1> … KH-<fy>-<per_year> (random streams seeded per year: a year's requests are the
    same whatever scale was built before), then their postings."""
    from core.fiscal import TOKYO
    from support.models import SupportRequest

    rng = random.Random(f"16-{fy}")
    requests = []
    start = dt.datetime(fy, 4, 1, 9, tzinfo=TOKYO)
    for number in range(1, per_year + 1):
        org = rng.choice(orgs)
        title = rng.choice(TITLES).format(s=rng.choice(SUBJECTS))
        # Sentences in list order: 300 titles × 560 descriptions, so each text's vector is computed once.
        description = "".join(sorted(rng.sample(SENTENCES, 3), key=SENTENCES.index))
        stamp = start + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
        category = rng.choice(categories)
        if number > have:
            requests.append(
                _past_request(
                    f"KH-{fy}-{number:05d}", fy, title, description, org, users[org.pk], category, stamp
                )
            )
    for offset in range(0, len(requests), 50_000):  # bulk INSERT (ids returned), then their postings
        chunk = requests[offset : offset + 50_000]
        SupportRequest.objects.bulk_create(chunk, batch_size=5000)
        bulk_index(chunk, vectors_of)


def evaluate() -> dict:
    """Index the labelled texts (in their own organisations) and rank every text against the others."""
    from core.fiscal import TOKYO
    from knowhow import index
    from support.models import SupportRequest

    data = json.loads(EVAL.read_text(encoding="utf-8"))
    texts = data["texts"]
    orgs, users, categories = _world("EVAL-KH-", 1)
    stamp = dt.datetime(2000, 4, 1, 9, tzinfo=TOKYO)
    made = SupportRequest.objects.bulk_create(
        _past_request(
            f"EV-2000-{i + 1:04d}", 2000, t["text"], "", orgs[0], users[orgs[0].pk], categories[0], stamp
        )
        for i, t in enumerate(texts)
    )
    by_pk = {}
    for request, text in zip(made, texts, strict=True):
        index.index_request(request)
        by_pk[request.pk] = text
    scope = Q(organization_id=orgs[0].pk)
    precision, reciprocal, top5 = [], [], {}
    for request, text in zip(made, texts, strict=True):
        ranked = [
            by_pk[pk] for pk, _ in index.search(text["text"], scope=scope, exclude=request.pk, limit=10)
        ]
        same = [other["topic"] == text["topic"] for other in ranked]
        precision.append(sum(same[:3]) / 3)
        reciprocal.append(next((1 / (i + 1) for i, hit in enumerate(same) if hit), 0.0))
        top5[text["id"]] = {other["id"] for other in ranked[:5]}

    def found(pair):
        return pair["b"] in top5[pair["a"]] or pair["a"] in top5[pair["b"]]

    similar = [p for p in data["pairs"] if p["similar"]]
    dissimilar = [p for p in data["pairs"] if not p["similar"]]
    no_word = [p for p in similar if p["no_shared_word"]]
    return {
        "texts": len(texts),
        "pairs": len(data["pairs"]),
        "precision_at_3": round(statistics.mean(precision), 3),
        "mrr": round(statistics.mean(reciprocal), 3),
        "similar_pairs_in_top5": round(sum(map(found, similar)) / len(similar), 3),
        "no_shared_word_pairs_in_top5": round(sum(map(found, no_word)) / len(no_word), 3),
        "dissimilar_pairs_in_top5": round(sum(map(found, dissimilar)) / len(dissimilar), 3),
    }


def _evaluate_alone() -> dict:
    """The evaluation on an index holding only its own texts (rolled back afterwards)."""
    from knowhow.models import Posting, Term

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE knowhow_posting, knowhow_term")
        else:
            Posting.objects.all().delete()
            Term.objects.all().delete()
        figures = evaluate()
        transaction.set_rollback(True)
    return figures


def latency() -> dict:
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from knowhow.index import search
    from knowhow.models import Posting
    from knowhow.selectors import similar_requests_for

    manager = User.objects.filter(email="bench-kh-manager@example.com").first() or user_create(
        actor=None,
        email="bench-kh-manager@example.com",
        password=None,
        display_name="bench manager",
        roles=(Role.ICT_STAFF, Role.ICT_MANAGER),
    )
    requester = User.objects.filter(email=f"{ORG_PREFIX.lower()}0000@example.com").first()
    if not requester.groups.exists():
        from django.contrib.auth.models import Group

        from accounts.roles import ensure_role_groups

        ensure_role_groups()
        requester.groups.add(Group.objects.get(name=Role.REQUESTER))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does in production: statistics, visibility map
            cursor.execute("VACUUM ANALYZE knowhow_posting")
            cursor.execute("VACUUM ANALYZE knowhow_term")
    rng = random.Random(7)
    data = json.loads(EVAL.read_text(encoding="utf-8"))
    queries = [t["text"] for t in data["texts"]]
    queries += [
        rng.choice(TITLES).format(s=rng.choice(SUBJECTS)) + rng.choice(SENTENCES)
        for _ in range(QUERIES - len(queries))
    ]
    figures = {"requests": N_REQUESTS, "postings": Posting.objects.count()}
    for name, user in (("ict_manager", manager), ("requester", requester)):
        for text in queries[:10]:
            similar_requests_for(user, text)
        timings = []
        for text in queries:
            started = time.perf_counter()
            similar_requests_for(user, text)
            timings.append((time.perf_counter() - started) * 1000)
        figures[f"suggest_{name}_p50_ms"] = round(statistics.median(timings), 1)
        figures[f"suggest_{name}_p95_ms"] = round(_percentile(timings, 0.95), 1)
    timings = []
    for text in queries:  # the index query alone (no loading of the requests shown)
        started = time.perf_counter()
        search(text, limit=5)
        timings.append((time.perf_counter() - started) * 1000)
    figures["index_query_p50_ms"] = round(statistics.median(timings), 1)
    figures["index_query_p95_ms"] = round(_percentile(timings, 0.95), 1)
    return figures


def run() -> dict:
    started = time.perf_counter()
    built = build()
    figures = {"built_now": built, "build_seconds": round(time.perf_counter() - started, 1) if built else 0}
    figures.update(latency())
    figures["target_p95_ms"] = 100
    figures["quality"] = _evaluate_alone()
    figures["quality"]["idf_note"] = "the index holds only the labelled texts while they are evaluated"
    figures["documents_per_query_term_cap"] = "5% of the documents (knowhow.index.COMMON_SHARE)"
    return figures
