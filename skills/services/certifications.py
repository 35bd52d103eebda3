"""Certifications and learning/mentoring interests."""

import datetime as dt

from django.db import transaction

from core.audit import record
from skills import policies
from skills.models import (
    Certification,
    Skill,
    SkillInterest,
    StaffProfile,
)
from skills.services._common import _allow, _check_date, _error

# --- certifications, interests ------------------------------------------------------------------------------------


@transaction.atomic
def certification_add(
    *,
    actor,
    staff: StaffProfile,
    name: str,
    obtained_on: dt.date,
    issuer: str = "",
    expires_on: dt.date | None = None,
    skill: Skill | None = None,
    credential_id: str = "",
) -> Certification:
    """資格: add a certification (optionally evidencing a skill) with its expiry."""
    _allow(actor, policies.can_add_certification(actor, staff))
    obtained_on = _check_date(obtained_on, "obtained_on")
    if expires_on is not None and expires_on < obtained_on:
        raise _error("expires_on", "expires_before_obtained")
    certification = Certification(
        staff=staff,
        name=(name or "").strip(),
        issuer=(issuer or "").strip(),
        obtained_on=obtained_on,
        expires_on=expires_on,
        skill=skill,
        credential_id=(credential_id or "").strip(),
    )
    certification.full_clean()
    certification.save()
    record(
        actor=actor,
        verb="certification.add",
        target=certification,
        data={"staff": staff.pk, "name": certification.name, "skill": skill.code if skill else None},
    )
    return certification


@transaction.atomic
def interest_set(
    *, actor, staff: StaffProfile, skill: Skill, wants_to_learn: bool, can_mentor: bool
) -> SkillInterest:
    """習得希望 / 指導可能: the person's own flags for one skill."""
    _allow(actor, policies.can_set_interest(actor, staff))
    interest, created = SkillInterest.objects.get_or_create(staff=staff, skill=skill)
    interest.wants_to_learn = bool(wants_to_learn)
    interest.can_mentor = bool(can_mentor)
    interest.full_clean()
    interest.save()
    record(
        actor=actor,
        verb="skill_interest.set",
        target=interest,
        data={
            "skill": skill.code,
            "wants_to_learn": interest.wants_to_learn,
            "can_mentor": interest.can_mentor,
        },
    )
    return interest
