"""Reference data for support requests: the 12 categories (支援区分) of the glossary, Japanese and English."""

from django.db import transaction

from core.audit import record
from support.models import RequestCategory

CATEGORIES = (
    # code, 日本語, English
    ("spec-review", "仕様書の技術的確認", "Specification review"),
    ("procurement", "調達・契約支援", "Procurement and contract support"),
    ("project-support", "プロジェクト推進支援", "Project support"),
    ("business-system", "業務システム導入", "Business-system introduction"),
    ("website", "Webサイト構築", "Website"),
    ("user-testing", "ユーザーテスト支援", "User testing"),
    ("security-bcp", "情報セキュリティ・BCP", "Security and BCP"),
    ("cloud-network", "クラウド・ネットワーク", "Cloud and network"),
    ("data-visualisation", "データ活用・可視化", "Data and visualisation"),
    ("lowcode-rpa", "ローコード・RPA", "Low-code and RPA"),
    ("study-session", "勉強会・研修", "Study session"),
    ("consultation", "技術相談", "General consultation"),
)


@transaction.atomic
def load_request_categories() -> dict[str, int]:
    """Create or update the categories by code. Running it twice changes nothing."""
    created = 0
    for order, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        category = RequestCategory.objects.filter(code=code).first()
        wanted = {"name": name, "name_en": name_en, "order": order}
        if category is None:
            category = RequestCategory(code=code, **wanted)
            category.full_clean()
            category.save()
            record(actor=None, verb="request_category.create", target=category, data={"code": code})
            created += 1
        elif any(getattr(category, k) != v for k, v in wanted.items()):
            for key, value in wanted.items():
                setattr(category, key, value)
            category.full_clean()
            category.save()
    return {"request categories created": created}
