"""Demo support requests: FY2021 … the current fiscal year up to today, following the seeds' figures.

* How many, when and what: seeds/demo/figures.py, the tables taken from the seeds with the sentences they come from —
  about 250 bureau requests a year (各局等) with about 40 of them in January–March, the seasonal mix of the progress
  report (H1: COVID-19 response and user tests; October–December: wave preparation, system introductions, websites,
  next-year contracts; January–March: specification reviews and April start-ups), and municipal requests as the
  smaller second pillar (about 60 a year: consultations, study sessions, government cloud, BCP, kintone …).
* Required skills come from the category's skill profile (support.CategorySkill, seeded from
  seeds/data/category_skills.csv): its mandatory lines always, the others often, plus the few skills a category
  needed in practice (figures.PRACTICE_EXTRAS) — never a random skill.
* Who files them (bureaus, departments, municipalities, sections, policy-linked bodies; a demo requester each):
  seeds/demo/support_departments.py. A few belong to the demo requester's 千代田区, among them DX-<current FY>-0001
  waiting on the requester, -0002 resolved and awaiting a rating, -0003 submitted.
* Ratings with the seeds' dimensions and the managers' follow-ups of the low ones: seeds/demo/support_ratings.py.
* Old requests are closed (some rejected or withdrawn); recent ones are spread over every status, including a
  backlog of triaged, unassigned requests with required skills and estimated hours for the backlog plan.
  Assignments are created only when the talent pool (StaffProfile) exists.
* For speed the history is written with bulk_create (a few seconds at scale 1), with its real timestamps; the
  audit events behind each request's timeline and the StatusChange rows are written alongside, and every fiscal
  year's RequestSequence is set to the highest number used, so live submissions continue the numbering.
* One generator (a fiscal year's requests, their history, comments, effort and ratings) whose steps share the same
  random stream and running state; the helpers in the two modules above draw from it in the same order.
"""

import contextlib
import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.fiscal import TOKYO, add_business_days, fiscal_year_of
from core.models import AuditEvent
from seeds.demo import figures
from seeds.demo.support_departments import requesters, spread_to_other_organizations
from seeds.demo.support_ratings import SCORES, rate
from skills.models import Skill, StaffProfile
from support import sla
from support.models import (
    Assignment,
    CategorySkill,
    Comment,
    Phase,
    RequestCategory,
    RequestSequence,
    RequiredSkill,
    SatisfactionFollowUp,
    SatisfactionResponse,
    Status,
    StatusChange,
    SupportRequest,
)

FIRST_FY = 2021
PHASE_BY_CATEGORY = {
    "spec-review": (Phase.PROCUREMENT, Phase.PLANNING),
    "procurement": (Phase.PROCUREMENT,),
    "project-support": (Phase.PLANNING, Phase.DESIGN_BUILD),
    "business-system": (Phase.PLANNING, Phase.PROCUREMENT, Phase.DESIGN_BUILD),
    "website": (Phase.PLANNING, Phase.DESIGN_BUILD, Phase.OPERATION),
    "user-testing": (Phase.DESIGN_BUILD, Phase.OPERATION),
    "security-bcp": (Phase.OPERATION, Phase.PLANNING, Phase.DESIGN_BUILD),
    "cloud-network": (Phase.DESIGN_BUILD, Phase.PLANNING, Phase.PROCUREMENT),
    "data-visualisation": (Phase.PLANNING, Phase.OPERATION),
    "lowcode-rpa": (Phase.PLANNING, Phase.DESIGN_BUILD, Phase.OPERATION),
    "study-session": (Phase.PLANNING, Phase.OPERATION),
    "consultation": (Phase.PLANNING, Phase.PROCUREMENT, Phase.DESIGN_BUILD, Phase.OPERATION),
}
SUBJECTS = (
    "住民記録システム",
    "介護保険システム",
    "電子申請サービス",
    "公式ホームページ",
    "庁内ネットワーク",
    "文書管理システム",
    "施設予約システム",
    "税務システム",
    "オープンデータ基盤",
    "コールセンター",
    "GIS（地図情報）",
    "保育所入所管理",
    "図書館システム",
    "グループウェア",
    "子育て支援アプリ",
)
PUBLIC_COMMENTS = (
    "ご依頼ありがとうございます。担当者から改めてご連絡します。",
    "仕様書の第3章について確認事項をお送りしました。ご回答をお願いします。",
    "ご回答ありがとうございます。内容を反映した修正案をお送りします。",
    "打合せの日程候補をお知らせください。",
    "資料を拝見しました。特に問題はありません。",
)
REQUESTER_COMMENTS = (
    "承知しました。資料を添付します。",
    "ご確認ありがとうございました。",
    "日程は来週火曜でお願いします。",
)
INTERNAL_NOTES = (
    "内部メモ：類似案件（昨年度）の資料を流用できる。",
    "内部メモ：セキュリティ担当のレビューが必要。",
    "内部メモ：予算規模が大きいので課長に共有済み。",
    "内部メモ：依頼元の担当者が異動予定とのこと。",
)


@contextlib.contextmanager
def _historic_timestamps(*fields):
    """Let bulk_create keep the timestamps we give (auto_now/auto_now_add would overwrite them)."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f, _now, _add in saved:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def _field(model, name):
    return model._meta.get_field(name)


def _at(day: dt.date, rng, start_hour=9, end_hour=18) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(start_hour, end_hour - 1), rng.randint(0, 59)), tzinfo=TOKYO
    )


def _later(moment: dt.datetime, rng, low: int, high: int) -> dt.datetime:
    day = add_business_days(moment.astimezone(TOKYO).date(), rng.randint(low, high))
    return _at(day, rng)


def _count(expected: float, rng) -> int:
    """A whole number of requests around `expected` (rounded up with the probability of its fraction), so that the
    totals keep the figures' proportions at every scale."""
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def _plan_year(fy: int, today: dt.date, scale: float, categories, rng) -> list[tuple]:
    """(submitted_at, pillar, season, category code) of one fiscal year's requests up to today, in time order."""
    drawn = []
    for pillar, by_month in figures.REQUESTS_BY_MONTH.items():
        for month, per_month in by_month.items():
            year = fy if month >= 4 else fy + 1
            days, whole_month = _month_days(year, month, today), _month_days(year, month, dt.date.max)
            season = figures.SEASON_OF_MONTH[month]
            mix = {code: w for code, w in figures.CATEGORY_MIX[pillar][season].items() if code in categories}
            if not days or not mix:
                continue
            share = len(days) / len(whole_month)  # the current month only up to today
            for _ in range(_count(per_month * share * scale * rng.uniform(0.9, 1.1), rng)):
                code = rng.choices(list(mix), list(mix.values()))[0]
                drawn.append((_at(rng.choice(days), rng), pillar, season, code))
    return sorted(drawn, key=lambda row: row[0])


def _title(plan: dict, rng) -> tuple[str, str]:
    """(title, subject) of a planned request: the category's wording, the season's where the seeds give one, and
    the COVID-19 response in the years it shaped the bureaus' work."""
    code, season = plan["category"], plan["season"]
    if (
        plan["pillar"] == figures.BUREAU
        and plan["fy"] in figures.COVID_YEARS
        and season in figures.COVID_TITLES
        and code in figures.COVID_CATEGORIES
        and rng.random() < 0.6
    ):
        subject = rng.choice(figures.COVID_SUBJECTS)
        return figures.COVID_TITLES[season].format(s=subject), subject
    subject = rng.choice(SUBJECTS)
    return figures.SEASON_TITLES.get((season, code), figures.TITLES[code]).format(s=subject), subject


def _required_skills(request, code: str, profiles: dict, skills_by_code: dict, rng) -> list:
    """The request's required skills from its category's profile: mandatory lines always, the others often (a bit
    higher for urgent work), plus the skills the category needed in practice (figures.PRACTICE_EXTRAS)."""
    lines = profiles.get(code, [])
    chosen = [line for line in lines if line.mandatory or rng.random() < figures.OPTIONAL_SHARE]
    if lines and not chosen:
        chosen = [max(lines, key=lambda line: line.weight)]
    rows = [
        RequiredSkill(
            request=request,
            skill=line.skill,
            min_level=min(5, line.min_level + int(request.priority >= 2 and rng.random() < 0.3)),
            weight=line.weight,
            mandatory=line.mandatory,
        )
        for line in chosen
    ]
    for skill_code, share in figures.PRACTICE_EXTRAS.get(code, ()):
        skill = skills_by_code.get(skill_code)
        if skill is not None and rng.random() < share and skill not in [row.skill for row in rows]:
            rows.append(RequiredSkill(request=request, skill=skill, min_level=3, weight=2))
    return rows


def _month_days(year: int, month: int, until: dt.date) -> list[dt.date]:
    day = dt.date(year, month, 1)
    days = []
    while day.month == month and day <= until:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def create_support_requests(*, password: str, rng, scale: float = 1.0) -> dict[str, int]:
    if SupportRequest.objects.filter(reference=f"DX-{FIRST_FY}-0001").exists():
        return {"support requests created": 0}
    categories = {c.code: c for c in RequestCategory.objects.all()}
    if not categories:
        return {"support requests created": 0}
    now = timezone.now()
    today = now.astimezone(TOKYO).date()
    current_fy = fiscal_year_of(now)
    pairs, below, demo_requester = requesters(rng, scale)
    ict = list(User.objects.filter(groups__name__in=[Role.ICT_STAFF, Role.ICT_MANAGER]).distinct()) or [None]
    managers = list(User.objects.filter(groups__name=Role.ICT_MANAGER).distinct()) or ict
    staff = list(StaffProfile.objects.filter(active=True).select_related("user"))
    profiles: dict[str, list[CategorySkill]] = {}
    for line in CategorySkill.objects.filter(skill__active=True).select_related("category", "skill"):
        profiles.setdefault(line.category.code, []).append(line)
    skills_by_code = {skill.code: skill for skill in Skill.objects.filter(active=True)}

    # 1. plan the requests: (submitted_at, pillar, season, category, organisation, requester) per fiscal year,
    # numbered in order of submission.
    plans = []
    for fy in range(FIRST_FY, current_fy + 1):
        drawn = _plan_year(fy, today, scale, categories, rng) or [
            (_at(dt.date(fy, 4, 2), rng), figures.BUREAU, figures.H1, next(iter(categories)))
        ]
        for number, (stamp, pillar, season, code) in enumerate(drawn, start=1):
            organization, requester = rng.choice(
                pairs[pillar] or pairs[figures.BUREAU] or pairs[figures.MUNICIPAL]
            )
            plans.append(
                {
                    "fy": fy,
                    "number": number,
                    "submitted_at": stamp,
                    "pillar": pillar,
                    "season": season,
                    "category": code,
                    "org": organization,
                    "user": requester,
                }
            )

    spread_to_other_organizations(plans, below, rng)

    # The demo requester's 千代田区: a few spread over the years, and three fixed ones opening the current year
    # (the example GraphQL operations use them): DX-<FY>-0001 waiting on the requester, -0002 resolved and
    # awaiting a rating, -0003 filed and still waiting for triage.
    current = [p for p in plans if p["fy"] == current_fy]
    while len(current) < 3:
        last = current[-1] if current else plans[-1]
        extra = {**last, "fy": current_fy, "number": len(current) + 1}
        extra["submitted_at"] = (
            last["submitted_at"] + dt.timedelta(hours=1) if current else _at(dt.date(current_fy, 4, 1), rng)
        )
        plans.append(extra)
        current.append(extra)
    if demo_requester is not None:
        municipal = [p for p in plans if p["pillar"] == figures.MUNICIPAL and p not in current[:3]]
        for plan in rng.sample(municipal, min(len(municipal), max(3, round(8 * scale)))):
            plan["org"], plan["user"] = demo_requester.organization, demo_requester
        for plan, fate in zip(
            current, (Status.WAITING_ON_REQUESTER, "resolved_unrated", Status.SUBMITTED), strict=False
        ):
            plan.update(org=demo_requester.organization, user=demo_requester, force=fate)

    # 2. decide each request's fate and milestones.
    requests, lifecycle_rows = [], []
    backlog_wanted = max(3, min(20, round(15 * scale) if scale >= 1 else 4))
    for plan in plans:
        age = (now - plan["submitted_at"]).days
        code = plan["category"]
        title, subject = _title(plan, rng)
        forced = plan.get("force")
        if forced:
            status = Status.RESOLVED if forced == "resolved_unrated" else forced
        elif age > 120:
            status = rng.choices([Status.CLOSED, Status.REJECTED, Status.WITHDRAWN], [90, 6, 4])[0]
        elif age > 45:
            status = rng.choices(
                [
                    Status.CLOSED,
                    Status.RESOLVED,
                    Status.IN_PROGRESS,
                    Status.WAITING_ON_REQUESTER,
                    Status.REJECTED,
                ],
                [55, 10, 25, 6, 4],
            )[0]
        elif age > 10:
            status = rng.choices(
                [
                    Status.TRIAGED,
                    Status.IN_PROGRESS,
                    Status.WAITING_ON_REQUESTER,
                    Status.RESOLVED,
                    Status.CLOSED,
                    Status.WITHDRAWN,
                ],
                [30, 35, 10, 10, 10, 5],
            )[0]
        else:
            status = rng.choices([Status.SUBMITTED, Status.TRIAGED, Status.IN_PROGRESS], [55, 35, 10])[0]
        submitted = plan["submitted_at"]
        start = submitted.astimezone(TOKYO).date() + dt.timedelta(days=rng.randint(7, 30))
        request = SupportRequest(
            reference=f"DX-{plan['fy']}-{plan['number']:04d}",
            fiscal_year=plan["fy"],
            title=title,
            description=f"{plan['org'].name}における{subject}について、{categories[code].name}をお願いします。\n"
            + figures.BACKGROUND[plan["season"]],
            organization=plan["org"],
            requester=plan["user"],
            category=categories[code],
            phase=rng.choice(PHASE_BY_CATEGORY[code]),
            priority=rng.choices([0, 1, 2, 3], [15, 60, 20, 5])[0],
            status=status,
            desired_start=start,
            due_date=start + dt.timedelta(days=rng.choice((30, 45, 60, 90, 120))),
            contact=f"{plan['org'].name} DX推進担当 内線{rng.randint(1000, 9999)}",
            submitted_at=submitted,
            updated_at=submitted,
        )
        path = [Status.SUBMITTED]
        moments = {Status.SUBMITTED: submitted}
        cursor = submitted

        def step(to, low, high, path=path, moments=moments):
            nonlocal cursor
            cursor = min(_later(cursor, rng, low, high), now - dt.timedelta(hours=1))
            path.append(to)
            moments[to] = cursor

        if status == Status.REJECTED:
            step(Status.REJECTED, 1, 4)
            request.triaged_at = request.first_response_at = moments[Status.REJECTED]
            request.rejection_reason = "本件は当局の支援対象外のため、所管部署へご相談ください。"
        elif status == Status.WITHDRAWN:
            if rng.random() < 0.5:
                step(Status.TRIAGED, 1, 3)
            step(Status.WITHDRAWN, 1, 5)
        elif status != Status.SUBMITTED:
            step(Status.TRIAGED, 1, 4)
            if status != Status.TRIAGED:
                step(Status.IN_PROGRESS, 1, 8)
                if status == Status.WAITING_ON_REQUESTER or rng.random() < 0.3:
                    step(Status.WAITING_ON_REQUESTER, 2, 10)
                    if status != Status.WAITING_ON_REQUESTER:
                        step(Status.IN_PROGRESS, 1, 5)
                if status in (Status.RESOLVED, Status.CLOSED):
                    if forced == "resolved_unrated":
                        cursor = now - dt.timedelta(days=3)
                        path.append(Status.RESOLVED)
                        moments[Status.RESOLVED] = cursor
                    else:
                        step(Status.RESOLVED, 5, 45)
                    if status == Status.CLOSED:
                        if (now - cursor).days < 15 and rng.random() < 0.5:
                            status = request.status = Status.RESOLVED
                        else:
                            step(Status.CLOSED, 1, 10)
            request.triaged_at = moments.get(Status.TRIAGED)
            request.first_response_at = request.triaged_at
            request.resolved_at = moments.get(Status.RESOLVED)
            request.closed_at = moments.get(Status.CLOSED)
            if (
                status in (Status.RESOLVED, Status.CLOSED)
                and request.resolved_at
                and request.resolved_at > now
            ):
                request.resolved_at = now
        request.updated_at = cursor
        if forced == Status.SUBMITTED:  # filed early in the year for a project that starts later
            request.desired_start = today + dt.timedelta(days=21)
            request.due_date = today + dt.timedelta(days=90)
        if request.status == Status.TRIAGED or request.status in (
            Status.IN_PROGRESS,
            Status.WAITING_ON_REQUESTER,
        ):
            request.estimated_hours = Decimal(rng.choice((8, 12, 16, 24, 40, 60, 80)))
        requests.append(request)
        lifecycle_rows.append((request, path, moments, plan))

    # Backlog: make sure enough triaged, unassigned requests wait for the backlog plan.
    triaged = [r for r in requests if r.status == Status.TRIAGED]
    # The five newest submitted requests stay submitted, so that the triage queue has work in it too.
    waiting_triage = sorted(
        (r for r in requests if r.status == Status.SUBMITTED and r.fiscal_year == current_fy),
        key=lambda r: r.submitted_at,
    )
    keep_submitted = {id(r) for r in waiting_triage[-5:]}
    for request, _path, _moments, _plan in lifecycle_rows[::-1]:
        if len(triaged) >= backlog_wanted:
            break
        if (
            id(request) not in keep_submitted
            and request.status == Status.SUBMITTED
            and request.fiscal_year == current_fy
            and not _plan.get("force")
        ):
            moment = min(_later(request.submitted_at, rng, 1, 3), now - dt.timedelta(hours=1))
            request.status, request.triaged_at, request.first_response_at = Status.TRIAGED, moment, moment
            request.estimated_hours = Decimal(rng.choice((8, 16, 24, 40)))
            _path.append(Status.TRIAGED)
            _moments[Status.TRIAGED] = moment
            triaged.append(request)

    levels = sla.Levels()  # the service levels load_reference loaded: every request gets its due dates
    for request in requests:
        sla.apply(request, levels)
    with _historic_timestamps(_field(SupportRequest, "updated_at")):
        SupportRequest.objects.bulk_create(requests, batch_size=500)
    for fy in range(FIRST_FY, current_fy + 1):
        last = max((p["number"] for p in plans if p["fy"] == fy), default=0)
        sequence, _ = RequestSequence.objects.get_or_create(fiscal_year=fy)
        if sequence.last_number < last:
            sequence.last_number = last
            sequence.save(update_fields=["last_number"])

    # 3. history rows: status changes, comments, satisfaction, required skills, assignments, audit events.
    request_type = ContentType.objects.get_for_model(SupportRequest)
    changes, comments, comment_meta, events, ratings, required, assignments = [], [], [], [], [], [], []
    follow_ups = []
    load: dict[int, Decimal] = {}
    for request, path, moments, _plan in lifecycle_rows:
        target = {"target_type": request_type, "target_id": str(request.pk)}
        events.append(
            AuditEvent(
                actor=request.requester,
                verb="request.submit",
                created=request.submitted_at,
                data={"reference": request.reference, "title": request.title},
                **target,
            )
        )
        previous = ""
        manager = rng.choice(managers)
        worker = rng.choice(ict)
        for to in path:
            moment = moments[to]
            actor = (
                request.requester
                if to in (Status.SUBMITTED, Status.WITHDRAWN)
                else manager
                if to in (Status.TRIAGED, Status.REJECTED)
                else worker
            )
            note = request.rejection_reason if to == Status.REJECTED else ""
            changes.append(
                StatusChange(
                    request=request,
                    from_status=previous,
                    to_status=to,
                    actor=actor,
                    note=note,
                    created=moment,
                )
            )
            if previous:
                events.append(
                    AuditEvent(
                        actor=actor,
                        verb="request.status",
                        created=moment,
                        data={"from": previous, "to": to, "note": note},
                        **target,
                    )
                )
            if to in (Status.TRIAGED, Status.REJECTED):
                events.append(
                    AuditEvent(
                        actor=actor,
                        verb="request.triage",
                        created=moment,
                        data={
                            "accepted": to == Status.TRIAGED,
                            "priority": request.priority,
                            "reason": request.rejection_reason,
                        },
                        **target,
                    )
                )
            previous = to
        # comments between triage and the last milestone
        if len(path) > 2:
            begin, end = moments[path[1]], moments[path[-1]]
            for _ in range(rng.randint(1, 4)):
                moment = begin + (end - begin) * rng.random()
                roll = rng.random()
                if roll < 0.3:
                    author, body, internal = worker, rng.choice(INTERNAL_NOTES), True
                elif roll < 0.55:
                    author, body, internal = request.requester, rng.choice(REQUESTER_COMMENTS), False
                else:
                    author, body, internal = worker, rng.choice(PUBLIC_COMMENTS), False
                if author is None:
                    continue
                comments.append(
                    Comment(request=request, author=author, body=body, internal=internal, created=moment)
                )
                comment_meta.append(target)
        if request.status == Status.CLOSED and rng.random() < 0.75:
            rating, follow_up, rated = rate(request, manager, target, score=rng.choice(SCORES))
            ratings.append(rating)
            follow_ups += [follow_up] if follow_up else []
            events += rated
        if request.status not in (Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN):
            required += _required_skills(request, _plan["category"], profiles, skills_by_code, rng)
        worked = request.status in (
            Status.IN_PROGRESS,
            Status.WAITING_ON_REQUESTER,
            Status.RESOLVED,
            Status.CLOSED,
        )
        if staff and worked:
            # the demo requester's fixed requests: never the demo manager (the example operations assign them)
            pool = (
                [p for p in staff if p.user.email != "manager@example.com"] if _plan.get("force") else staff
            )
            team = rng.sample(pool, min(len(pool), rng.choice((1, 1, 2, 2, 3))))
            active = request.status != Status.CLOSED
            for index, person in enumerate(team):
                hours = Decimal(rng.choice((2, 4, 4, 6, 8)))
                if active and load.get(person.pk, Decimal(0)) + hours > person.capacity_hours_per_week:
                    continue
                if active:
                    load[person.pk] = load.get(person.pk, Decimal(0)) + hours
                assigned_at = moments.get(Status.IN_PROGRESS, request.triaged_at)
                assignments.append(
                    Assignment(
                        request=request,
                        staff=person,
                        role="lead" if index == 0 else "member",
                        allocated_hours_per_week=hours,
                        assigned_by=manager,
                        assigned_at=assigned_at,
                        released_at=None if active else request.closed_at,
                        released_by=None if active else manager,
                    )
                )

    with _historic_timestamps(
        _field(StatusChange, "created"),
        _field(Comment, "created"),
        _field(SatisfactionResponse, "created"),
        _field(SatisfactionFollowUp, "created"),
        _field(Assignment, "assigned_at"),
        _field(AuditEvent, "created"),
    ):
        StatusChange.objects.bulk_create(changes, batch_size=1000)
        Comment.objects.bulk_create(comments, batch_size=1000)
        SatisfactionResponse.objects.bulk_create(ratings, batch_size=1000)
        SatisfactionFollowUp.objects.bulk_create(follow_ups, batch_size=1000)
        RequiredSkill.objects.bulk_create(required, batch_size=1000)
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        for comment, target in zip(comments, comment_meta, strict=True):
            events.append(
                AuditEvent(
                    actor=comment.author,
                    verb="comment.add",
                    created=comment.created,
                    data={"comment_id": comment.pk, "internal": comment.internal},
                    **target,
                )
            )
        for assignment in assignments:
            events.append(
                AuditEvent(
                    actor=assignment.assigned_by,
                    verb="assignment.create",
                    created=assignment.assigned_at,
                    target_type=request_type,
                    target_id=str(assignment.request.pk),
                    data={"staff_name": assignment.staff.user.label, "role": assignment.role},
                )
            )
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    return {
        "support requests created": len(requests),
        "support comments created": len(comments),
        "satisfaction responses created": len(ratings),
        "satisfaction follow-ups created": len(follow_ups),
        "demo assignments created": len(assignments),
    }
