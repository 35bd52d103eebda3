"""The figures the demo requests follow, taken from the seeds (../shared/seeds: Tokyo's DX progress report for
January–March 2022, the Shin-Tosei strategy, the municipal DX training deck, the CIO round tables). Data, not code:
seeds/demo/support.py draws the requests from these tables.

Bureau pillar (各局等のDX推進を技術面から支援) — the progress report:
  「1月から3月までの3か月間で、各局から約40件、支援依頼がありました。…仕様書の技術的な確認や契約後の4月早々に動き始める
   プロジェクトのサポートが中心」
  「4月からの合計で約250件をサポートし…」
  「上期は、新型コロナウイルス感染症対策関連やユーザーテストのサポート、下期は、新型コロナウイルスの第6波に備える事案や
   業務システムの導入、Webサイト構築、次年度契約支援」
So: ~250 a year, of which ~40 in January–March (the quietest quarter, not the peak), leaving ~210 for April–December:
the first half (April–September) ~120, October–December ~90.

Municipal pillar (区市町村のDX推進に対する支援) — the smaller second pillar: study sessions (勉強会), outreach technical
consultations (アウトリーチ相談: 「情報システムのBCPについて」「kintoneの利用について」), model projects for digital
procedures, the CIO forum and round tables (座談会, 「2022年3月までに計20回開催」), and the training deck's 期限DX
(標準化・共通化, ガバメントクラウド, セキュリティ対策). About 60 a year.
"""

BUREAU = "bureau"
MUNICIPAL = "municipal"

# Requests per calendar month at scale 1 (April … March).
REQUESTS_BY_MONTH = {
    # 250 a year: April–September 120, October–December 90, January–March 40 (「3か月間で、各局から約40件」).
    BUREAU: {4: 18, 5: 20, 6: 22, 7: 22, 8: 18, 9: 20, 10: 30, 11: 32, 12: 28, 1: 13, 2: 14, 3: 13},
    # 60 a year, a little busier while the study sessions and CIO round tables run (August–February).
    MUNICIPAL: {4: 3, 5: 4, 6: 4, 7: 5, 8: 6, 9: 5, 10: 6, 11: 6, 12: 5, 1: 6, 2: 6, 3: 4},
}

H1, H2, Q4 = "h1", "h2", "q4"  # April–September · October–December · January–March
SEASON_OF_MONTH = {
    **dict.fromkeys((4, 5, 6, 7, 8, 9), H1),
    **dict.fromkeys((10, 11, 12), H2),
    1: Q4,
    2: Q4,
    3: Q4,
}

# Category mix (relative weights) per pillar and season.
CATEGORY_MIX = {
    BUREAU: {
        # 上期: COVID-19 response (project support, systems, sites, dashboards) and user tests.
        H1: {
            "user-testing": 20,
            "project-support": 16,
            "business-system": 10,
            "website": 10,
            "data-visualisation": 10,
            "consultation": 8,
            "security-bcp": 5,
            "cloud-network": 5,
            "spec-review": 6,
            "procurement": 4,
            "lowcode-rpa": 5,
            "study-session": 1,
        },
        # 下期: preparing for the next wave, business-system introductions, websites, next-year contracts.
        H2: {
            "business-system": 20,
            "website": 18,
            "procurement": 16,
            "project-support": 12,
            "spec-review": 10,
            "security-bcp": 5,
            "cloud-network": 5,
            "data-visualisation": 4,
            "user-testing": 4,
            "lowcode-rpa": 3,
            "consultation": 3,
        },
        # 年度末: specification reviews for next year's contracts and projects starting in April.
        Q4: {
            "spec-review": 40,
            "project-support": 22,
            "procurement": 14,
            "business-system": 6,
            "cloud-network": 4,
            "security-bcp": 4,
            "website": 4,
            "consultation": 6,
        },
    },
    MUNICIPAL: dict.fromkeys(
        (H1, H2, Q4),
        {
            "consultation": 25,  # アウトリーチ相談
            "study-session": 15,  # 区市町村職員向け勉強会
            "cloud-network": 15,  # ガバメントクラウド移行（期限DX）
            "security-bcp": 12,  # 情報システムのBCP、セキュリティ対策の徹底
            "lowcode-rpa": 10,  # kintone、AI・RPA の利用推進
            "business-system": 8,  # 標準化・共通化、行政手続のデジタル化モデル事業
            "data-visualisation": 5,
            "website": 5,
            "spec-review": 5,
        },
    ),
}

# Skills that requests of a category needed in practice beyond the category's profile, with the share of requests
# that needed them: the demo writes them, and the triage suggestions learn them back from the well-rated ones.
PRACTICE_EXTRAS = {
    "website": (("PM-PROC", 0.45),),  # the site build is procured: the specification is reviewed too
    "user-testing": (("DES-A11Y", 0.5),),  # tests with assistive technology
    "cloud-network": (("PUB-STD", 0.5),),  # ガバメントクラウド移行 goes with 標準化・共通化
}
# How often a profile line that is not mandatory is asked for.
OPTIONAL_SHARE = 0.6

# Titles by category ({s}: the subject), and the seasonal wording that replaces them.
TITLES = {
    "spec-review": "{s}更改に係る調達仕様書の技術的確認",
    "procurement": "{s}の調達方式と契約形態の相談",
    "project-support": "{s}刷新プロジェクトの立ち上げ支援",
    "business-system": "{s}の導入に向けた要件整理",
    "website": "{s}のリニューアルとアクセシビリティ対応",
    "user-testing": "{s}のユーザーテスト実施支援",
    "security-bcp": "{s}の情報セキュリティ対策とBCPの見直し",
    "cloud-network": "{s}のガバメントクラウド移行とネットワーク設計",
    "data-visualisation": "{s}データの活用と可視化ダッシュボード",
    "lowcode-rpa": "{s}関連業務のローコード・RPA化",
    "study-session": "職員向け勉強会（{s}とDXの基礎）",
    "consultation": "{s}に関する技術相談",
}
SEASON_TITLES = {
    (H2, "procurement"): "次年度契約に向けた{s}の調達方式の相談",
    (Q4, "spec-review"): "次年度契約に向けた{s}調達仕様書の技術的確認",
    (Q4, "project-support"): "4月始動の{s}プロジェクトの立ち上げ支援",
}
# While COVID-19 shaped the work (FY2021–FY2022), these categories' requests in H1 and H2 were about it.
COVID_YEARS = (2021, 2022)
COVID_CATEGORIES = ("project-support", "business-system", "website", "data-visualisation")
COVID_SUBJECTS = (
    "ワクチン接種予約システム",
    "自宅療養者支援サービス",
    "感染状況ダッシュボード",
    "PCR等検査予約サイト",
    "宿泊療養施設管理システム",
)
COVID_TITLES = {
    H1: "新型コロナウイルス感染症対策：{s}",
    H2: "新型コロナ次の波に備えた{s}の体制整備",
}
BACKGROUND = {
    H1: "背景：感染症対策と利用者目線でのサービス改善に向けて、技術的な観点から助言をいただきたい。",
    H2: "背景：下期のシステム導入と次年度契約の準備に向けて、技術的な観点から助言をいただきたい。",
    Q4: "背景：次年度の事業執行に向けた契約準備と4月からのプロジェクト始動に向けて、技術的な確認をお願いしたい。",
}
