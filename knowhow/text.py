"""Japanese (and English) text → terms for the know-how index. Pure: no database, no Django models.

Japanese has no spaces, so the terms are character bigrams of each run of kanji/katakana (hiragana-only bigrams are
dropped: particles and endings), plus whole words of Latin letters and digits, plus one concept term per entry of the
normalisation table (knowhow/data/terms.json) found in the text. Bigrams need no dictionary and match across
inflections and compounds (「仕様書確認」 and 「仕様書の確認」 share 仕様 and 様書); the table carries what bigrams cannot:
abbreviations (ガバクラ ↔ ガバメントクラウド), loanword spellings (キントーン ↔ kintone) and synonyms (レビュー ↔ 確認).

Before anything: NFKC (full-width Latin and half-width katakana become one form), lower case, and katakana variants
folded — small kana to large (ァ→ア), ヴ to バ-row (ヴァ→バ, ヴ→ブ), the long-vowel mark ー and the middle dot dropped
(ユーザー = ユーザ = ユザ).
"""

import json
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "terms.json"
MAX_TERM = 40

_SMALL = str.maketrans(
    "ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ", "アイウエオツヤユヨワカケあいうえおつやゆよわ"
)
_VU = (("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ヴ", "ブ"))
_DROP = str.maketrans("", "", "ー〜・")
_CJK_RUN = re.compile(r"[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff々〆]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
_HIRAGANA = re.compile(r"^[\u3041-\u309f]+$")
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "the",
        "this",
        "to",
        "was",
        "we",
        "were",
        "will",
        "with",
    ]
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    for old, new in _VU:
        text = text.replace(old, new)
    return text.translate(_SMALL).translate(_DROP)


@lru_cache(maxsize=1)
def _stop() -> frozenset[str]:
    return frozenset(
        normalise(term) for term in json.loads(TABLE.read_text(encoding="utf-8")).get("stop", [])
    )


@lru_cache(maxsize=1)
def _table() -> tuple[re.Pattern, dict[str, str]]:
    groups = json.loads(TABLE.read_text(encoding="utf-8"))["groups"]
    canonical: dict[str, str] = {}
    for group in groups:
        head = normalise(group[0])
        for variant in group:
            canonical.setdefault(normalise(variant), head)
    parts = []
    for variant in sorted(canonical, key=len, reverse=True):
        escaped = re.escape(variant)
        # Latin variants match whole words only ("hp" is not inside "php").
        if variant[:1].isascii() and variant[:1].isalnum():
            escaped = r"(?<![a-z0-9])" + escaped
        if variant[-1:].isascii() and variant[-1:].isalnum():
            escaped += r"(?![a-z0-9])"
        parts.append(escaped)
    return re.compile("|".join(parts)), canonical


def terms(text: str) -> list[str]:
    """The terms of a text, with repeats (their count is the term frequency)."""
    pattern, canonical = _table()
    found: list[str] = []

    def replace(match: re.Match) -> str:
        head = canonical[match.group(0)]
        found.append(f"k:{head}"[:MAX_TERM])
        return f" {head} "

    text = pattern.sub(replace, normalise(text))
    for word in _WORD.findall(text):
        if len(word) > 1 and word not in _STOP_WORDS:
            found.append(f"w:{word}"[:MAX_TERM])
    stop = _stop()
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair not in stop and not _HIRAGANA.match(pair):
                found.append(pair)
    return found


def term_frequencies(text: str) -> dict[str, float]:
    """Sublinear term frequencies (1 + log tf), L2-normalised: the stored weight of each term of a document."""
    counts = Counter(terms(text))
    weights = {term: 1.0 + math.log(count) for term, count in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {term: w / norm for term, w in weights.items()}
