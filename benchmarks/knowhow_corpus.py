"""The synthetic past requests of the know-how benchmark (benchmarks/bench_knowhow.py): varied enough that the
suggestion query does real work.

A first generator drew every text from 20 subjects × 15 titles × 16 sentences: each subject was in ~5 % of the
requests and every other word in more, so nearly every query term was skipped as common (knowhow.index.COMMON_SHARE)
and the query read almost nothing. Here a request is a title (one of ~30 kinds of request about one of ~280
systems or services, Zipf-distributed as real demand is: a few systems very often, a long tail rarely), 2–4
sentences of context drawn from ~60 (Zipf as well), one or two details with figures (counts, budgets, go-live
months, vendors) and the requesting department (one of ~40); about one request in ten is in English. Query terms
then fall across the whole range of document frequencies, from a few requests to the common cut.

A text is built from fragments joined by newlines. Terms never span a newline (bigrams are of kanji/katakana runs,
words of Latin letters, table entries contain none), so a text's terms are the sum of its fragments' terms: each
distinct fragment is tokenised once (`vector`) and a request's vector is exactly knowhow.text.term_frequencies of
its text (tests/knowhow/test_bench_build.py checks it against the application's indexing).
"""

import math
import random
from collections import Counter
from functools import lru_cache
from itertools import accumulate

DOMAINS = (
    "住民記録",
    "税務",
    "固定資産税",
    "国民健康保険",
    "後期高齢者医療",
    "介護保険",
    "障害福祉",
    "児童手当",
    "生活保護",
    "福祉総合",
    "子育て支援",
    "保育所入所",
    "学童保育",
    "図書館",
    "施設予約",
    "財務会計",
    "契約管理",
    "文書管理",
    "人事給与",
    "庶務事務",
    "電子申請",
    "防災情報",
    "避難所運営",
    "学校ICT",
    "校務支援",
    "窓口予約",
    "道路管理",
    "上下水道料金",
    "健診管理",
    "予防接種",
    "統計データ",
    "選挙事務",
    "公営住宅管理",
    "環境測定",
    "廃棄物収集",
    "観光案内",
    "農地台帳",
    "中小企業支援",
    "消防指令",
    "都市計画",
    "建築確認",
    "戸籍",
    "議会中継",
    "公園管理",
    "職員ポータル",
    "庁内グループウェア",
    "地理情報",
)
KINDS = ("システム", "サービス", "アプリ", "ポータルサイト", "データベース", "基盤")
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
    "{s}の標準準拠システムへの移行計画",
    "{s}の見積内容の妥当性確認",
    "{s}の障害対応と復旧手順の整備",
    "{s}の運用保守体制の見直し",
    "{s}の画面設計とUI改善",
    "{s}のデータ移行方針の検討",
    "{s}とマイナンバーカード連携",
    "{s}のキャッシュレス決済対応",
    "{s}のプロポーザル評価への助言",
    "{s}の個人情報保護評価",
    "{s}の庁内LAN接続と回線冗長化",
    "{s}の利用状況分析とKPI設定",
    "{s}のkintoneによる内製化",
    "{s}の生成AI活用の検討",
    "{s}の電子決裁対応",
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
    "議会から早期の対応を求められている。",
    "窓口の待ち時間が長いとの苦情がある。",
    "担当者が一人しかおらず属人化している。",
    "前回の更改時に仕様の不備で追加費用が発生した。",
    "非機能要件の書き方に自信がない。",
    "障害時の連絡体制が曖昧になっている。",
    "高齢者にも使いやすい画面にしたい。",
    "外国人住民向けの多言語対応も必要。",
    "夜間や休日にも申請を受け付けたい。",
    "集計作業に毎月丸二日かかっている。",
    "エクセル台帳が部署ごとに分かれている。",
    "個人情報の取扱いに注意が必要。",
    "監査で指摘を受けた事項がある。",
    "職員のITスキルにばらつきがある。",
    "災害時にも業務を継続できるようにしたい。",
    "停電時の対応手順が整っていない。",
    "回線の帯域が不足している。",
    "端末の更新時期が重なっている。",
    "アクセス権限の管理が煩雑。",
    "ログの保存期間を見直したい。",
    "庁内で使えるツールが限られている。",
    "パッケージのカスタマイズが多すぎる。",
    "利用率が伸び悩んでいる。",
    "効果測定の方法を知りたい。",
    "予算要求の根拠資料を作りたい。",
    "委託先の管理方法を相談したい。",
    "契約書の条項に不安がある。",
    "ユーザビリティの評価方法を知りたい。",
    "子育て世帯からの要望が多い。",
    "事業者向けの手続も対象にしたい。",
    "オープンデータとして公開したい。",
    "グラフで幹部に報告したい。",
    "ワークショップ形式で進めたい。",
    "研修の講師を探している。",
    "国の補助金の活用を考えている。",
    "類似案件の資料を流用したい。",
    "文字コードや外字の扱いが課題。",
    "移行データのクレンジングが必要。",
    "テスト計画の作り方を教えてほしい。",
    "プロジェクト管理の体制が弱い。",
    "電子署名の要否を確認したい。",
    "スマートフォンからの利用が増えている。",
    "FAXでの受付をやめたい。",
    "問い合わせの半分が同じ内容である。",
)
DETAILS = (
    "対象は約{n}件の手続。",
    "年間の利用は約{n}件。",
    "予算は約{n}万円を見込んでいる。",
    "令和{y}年{m}月の稼働を予定している。",
    "職員{n}名が利用している。",
    "{v}のパッケージを利用中。",
    "現行契約は令和{y}年{m}月まで。",
    "端末は{n}台ある。",
)
VENDORS = (
    "東西システムズ",
    "みなと情報サービス",
    "北辰ソフト",
    "さくら電算",
    "中央計算センター",
    "ひかり通信",
    "大和データ",
    "青葉テクノ",
    "日の出システム",
    "朝日ネットワークス",
    "城南ソリューションズ",
    "若葉情報",
)
DEPARTMENTS = (
    "情報政策課",
    "デジタル推進課",
    "総務課",
    "財政課",
    "税務課",
    "市民課",
    "保険年金課",
    "介護保険課",
    "障害福祉課",
    "子育て支援課",
    "保育課",
    "健康推進課",
    "環境政策課",
    "清掃事務所",
    "道路課",
    "都市計画課",
    "建築指導課",
    "上下水道局",
    "消防本部",
    "教育委員会",
    "学校教育課",
    "中央図書館",
    "生涯学習課",
    "観光振興課",
    "産業振興課",
    "農政課",
    "危機管理課",
    "広報課",
    "人事課",
    "契約課",
    "会計課",
    "選挙管理委員会",
    "議会事務局",
    "監査事務局",
    "住宅課",
    "公園緑地課",
    "福祉総務課",
    "生活福祉課",
    "国際交流課",
    "文化振興課",
)
EN_DOMAINS = (
    "resident records",
    "local tax",
    "national health insurance",
    "long-term care",
    "child benefit",
    "library",
    "facility booking",
    "accounting",
    "document management",
    "payroll",
    "e-application",
    "disaster information",
    "school ICT",
    "water billing",
    "waste collection",
    "tourism",
    "building permits",
    "GIS",
    "intranet",
    "health check",
)
EN_TITLES = (
    "Review of the procurement specification for the {s} system",
    "Advice on the contract type for the {s} system renewal",
    "Usability testing of the {s} service before launch",
    "Moving the {s} system to the Government Cloud",
    "Dashboard of {s} usage data",
    "Automating {s} data entry with RPA",
    "Chatbot for {s} enquiries",
    "Business continuity plan for the {s} system",
    "Going paperless in {s} procedures",
    "Security assessment of the {s} web service",
)
EN_SENTENCES = (
    "The current contract ends next March.",
    "Residents complain about waiting times at the counter.",
    "We have little in-house IT expertise.",
    "Please check whether the vendor's estimate is reasonable.",
    "Other municipalities' examples would help.",
    "Staff spend two days a month on manual aggregation.",
    "We must also support foreign residents.",
    "The schedule is tight.",
    "Personal data is involved.",
    "We want to measure the effect.",
)
ENGLISH_SHARE = 0.1


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    """Cumulative Zipf weights for random.choices (rank r drawn with probability ∝ 1 / r^exponent)."""
    return list(accumulate(1 / math.pow(rank, exponent) for rank in range(1, count + 1)))


SUBJECTS = [f"{d}{k}" for d in DOMAINS for k in KINDS]
_SUBJECT_WEIGHTS = _zipf(len(SUBJECTS))
_TITLE_WEIGHTS = _zipf(len(TITLES), 0.8)
_SENTENCE_WEIGHTS = _zipf(len(SENTENCES), 0.8)


def request_text(rng: random.Random, org_name: str) -> tuple[str, list[str]]:
    """A past request: (title, description fragments). Its text is `title + "\\n" + "\\n".join(fragments)`."""
    if rng.random() < ENGLISH_SHARE:
        title = rng.choice(EN_TITLES).format(s=rng.choice(EN_DOMAINS))
        return title, rng.sample(EN_SENTENCES, 2) + [f"{org_name}, {rng.choice(DEPARTMENTS)}"]
    subject = rng.choices(SUBJECTS, cum_weights=_SUBJECT_WEIGHTS)[0]
    title = rng.choices(TITLES, cum_weights=_TITLE_WEIGHTS)[0].format(s=subject)
    fragments = list(
        dict.fromkeys(rng.choices(SENTENCES, cum_weights=_SENTENCE_WEIGHTS, k=rng.randint(2, 4)))
    )
    for detail in rng.sample(DETAILS, rng.randint(1, 2)):
        fragments.append(
            detail.format(
                n=rng.choice((5, 12, 30, 50, 80, 120, 200, 350, 500, 800, 1200, 2000, 5000, 12000, 30000)),
                y=rng.randint(3, 12),
                m=rng.randint(1, 12),
                v=rng.choice(VENDORS),
            )
        )
    fragments.append(f"{org_name}{rng.choice(DEPARTMENTS)}")
    return title, fragments


def query_texts(rng: random.Random, count: int) -> list[str]:
    """New requests as a requester would type them (title and one sentence, sometimes a detail)."""
    texts = []
    for _ in range(count):
        title, fragments = request_text(rng, "")
        texts.append(f"{title}\n{fragments[0]}")
    return texts


@lru_cache(maxsize=200_000)
def _fragment_terms(fragment: str) -> tuple[str, ...]:
    from knowhow.text import terms

    return tuple(terms(fragment))


def vector(title: str, fragments: list[str]) -> dict[str, float]:
    """knowhow.text.term_frequencies of the request's text, each distinct fragment tokenised once."""
    counts = Counter(_fragment_terms(title))
    for fragment in fragments:
        counts.update(_fragment_terms(fragment))
    weights = {term: 1.0 + math.log(count) for term, count in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}
