"""Demo know-how: the similarity index over the demo's past requests and a handful of published cases (好事例)."""

from accounts.models import User
from knowhow import index, services
from knowhow.policies import PAST_STATUSES
from support.models import SupportRequest

# category code → (problem, what was done, lessons, documents)
CASES = {
    "spec-review": (
        "更改予定システムの調達仕様書について、要件の粒度や非機能要件の書き方が適切か不安があった。",
        "ICT職と専門人材で仕様書をレビューし、非機能要件（可用性・セキュリティ・移行）の記載例と、"
        "ベンダーロックインを避ける記載を提案した。",
        "仕様書確認は公告の2か月前までに依頼すると手戻りが少ない。非機能要件はチェックリストで確認すると漏れにくい。",
        "非機能要件チェックリスト\n調達仕様書レビュー観点表",
    ),
    "security-bcp": (
        "情報システムのBCPが古く、クラウド移行後の障害時の手順が定まっていなかった。",
        "業務影響分析を一緒に行い、目標復旧時間と代替手段を整理した。机上訓練のシナリオを作成した。",
        "BCPは業務部門とシステム部門が一緒に作ると実効性が上がる。年1回の訓練で見直す。",
        "情報システムBCPひな形",
    ),
    "lowcode-rpa": (
        "紙とExcelで管理している申請受付業務を、kintone等のローコードツールで効率化したい。",
        "業務フローを可視化し、ローコードで作るべき範囲とRPAで自動化する範囲を切り分けた。試作アプリで職員の意見を集めた。",
        "最初から全業務を載せず、小さく始めて改善する。運用担当者の育成を並行して計画する。",
        "",
    ),
    "user-testing": (
        "新しいオンライン申請サービスが利用者に分かりやすいか、リリース前に確かめたかった。",
        "UI/UXデザイナーがユーザーテストを設計し、都民5名に実施。課題を重要度順に整理して改善案を示した。",
        "5人程度のテストでも主要な問題の多くが見つかる。開発の早い段階で実施すると修正費用が小さい。",
        "ユーザーテスト実施手順書",
    ),
    "cloud-network": (
        "ガバメントクラウドへの移行に伴い、庁内ネットワークとの接続方式を決める必要があった。",
        "接続方式の比較表を作成し、回線冗長化と費用の観点から推奨案を示した。",
        "移行スケジュールはネットワーク工事の調達期間を含めて逆算する。",
        "接続方式比較表",
    ),
    "website": (
        "ホームページのリニューアルでアクセシビリティ（JIS X 8341-3）への対応方法が分からなかった。",
        "対応方針の策定と、試験の進め方を助言した。CMS選定の観点も共有した。",
        "アクセシビリティは発注時の仕様に適合レベルを明記することが重要。",
        "",
    ),
}


def publish_demo_cases(*, password: str, rng, scale: float = 1.0) -> dict[str, int]:
    manager = User.objects.get(email="manager@example.com")
    indexed = index.reindex_all()
    published = 0
    past = SupportRequest.objects.filter(status__in=PAST_STATUSES).select_related("category", "organization")
    for position, (code, (problem, actions, lessons, documents)) in enumerate(CASES.items()):
        request = past.filter(category__code=code).order_by("pk").first()
        if request is None:
            continue
        services.case_publish(
            actor=manager,
            request=request,
            title=request.title,
            problem=problem,
            actions=actions,
            lessons=lessons,
            documents=documents,
            show_organization=position % 2 == 0,
        )
        published += 1
    return {"knowhow_indexed": indexed, "knowhow_cases": published}
