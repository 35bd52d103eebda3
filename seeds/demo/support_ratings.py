"""Demo satisfaction ratings and the managers' follow-ups of the low ones (seeds/demo/support.py rates a share of
the closed requests through :func:`rate`).

Ratings carry the seeds' dimensions (「サポートの頻度や品質」: frequency and quality of support, near the overall
score; a few blank as on the older form); most low ones (≤ 2) have a manager's follow-up a few days later. The
overall score is drawn by the caller from the demo's main random stream; the dimensions and the follow-up from a
stream of the request's own, so that they never shift the rest of the demo.
"""

import datetime as dt
import random

from core.models import AuditEvent
from support.models import SatisfactionFollowUp, SatisfactionResponse

SATISFACTION_COMMENTS = {
    5: "迅速かつ丁寧に対応いただき大変助かりました。",
    4: "的確な助言をいただきました。",
    3: "概ね満足です。",
    2: "回答までに時間がかかりました。",
    1: "期待していた支援の頻度・質に届きませんでした。",
}
SCORES = (5, 5, 5, 5, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 2, 1)
#: What the managers did about a low rating (「サポートの頻度や品質」: too rare, or not good enough).
FOLLOW_UP_NOTES = (
    "依頼元の担当課長に電話し、対応が遅れた経緯を説明した。次回から週次で進捗を共有する。",
    "依頼元を訪問し、要望を再確認した。ICT職員を1名追加して再対応する。",
    "回答内容の品質について所内で振り返りを実施し、レビュー手順を見直した。",
    "定例の打合せ頻度を月1回から隔週に増やすことで合意した。",
)


def _dimensions(score: int, rng) -> tuple[int | None, int | None]:
    """Frequency and quality answers near the overall score (one in ten left blank, as on the older form)."""
    if rng.random() < 0.1:
        return None, None

    def near() -> int:
        return max(1, min(5, score + rng.choice((-1, 0, 0, 0, 1))))

    return near(), near()


def rate(request, manager, target: dict, *, score: int):
    """(rating, follow-up or None, audit events) of a closed request rated `score`; `target` locates the request's
    audit events."""
    own = random.Random(request.pk)
    frequency, quality = _dimensions(score, own)
    rating = SatisfactionResponse(
        request=request,
        score=score,
        frequency=frequency,
        quality=quality,
        comment=SATISFACTION_COMMENTS[score],
        respondent=request.requester,
        created=request.closed_at,
    )
    events = [
        AuditEvent(
            actor=request.requester,
            verb="satisfaction.submit",
            created=request.closed_at,
            data={"score": score, "frequency": frequency, "quality": quality},
            **target,
        )
    ]
    follow_up = None
    if rating.is_low and own.random() < 0.7 and manager is not None:
        moment = request.closed_at + dt.timedelta(days=own.randint(1, 7))
        follow_up = SatisfactionFollowUp(
            request=request, author=manager, note=own.choice(FOLLOW_UP_NOTES), created=moment
        )
        events.append(
            AuditEvent(actor=manager, verb="satisfaction.follow_up", created=moment, data={}, **target)
        )
    return rating, follow_up, events
