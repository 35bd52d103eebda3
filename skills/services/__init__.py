"""Writes on the digital skill map. Every function is keyword-only, atomic, validated and audited.

`actor=None` is the system (seeds, scheduled jobs) and skips the permission checks; every other actor is checked
against skills.policies, and a refusal raises PermissionDenied (views answer 404/403, GraphQL FORBIDDEN).
Bad input raises ValidationError with a field, a stable code and a translatable message, and changes nothing.

The functions live in one module per sub-domain (assessments, certifications, profiles, taxonomy); this
package re-exports them. A test that patches a name must patch it in the module that calls it, not here.
"""

from skills.services._common import MESSAGES
from skills.services.assessments import (
    IMPORT_TRUSTED_FIELDS,
    assessment_import,
    assessment_import_bulk,
    assessment_import_check,
    assessment_record_manager,
    assessment_record_self,
    assessment_validate,
)
from skills.services.certifications import certification_add, interest_set
from skills.services.profiles import PROFILE_FIELDS, staff_profile_upsert
from skills.services.taxonomy import (
    job_type_upsert,
    proficiency_level_upsert,
    skill_category_upsert,
    skill_level_description_set,
    skill_reactivate,
    skill_retire,
    skill_upsert,
    target_skill_remove,
    target_skill_set,
)

__all__ = [
    "MESSAGES",
    "assessment_record_self",
    "assessment_record_manager",
    "assessment_validate",
    "IMPORT_TRUSTED_FIELDS",
    "assessment_import",
    "assessment_import_bulk",
    "assessment_import_check",
    "certification_add",
    "interest_set",
    "PROFILE_FIELDS",
    "staff_profile_upsert",
    "skill_category_upsert",
    "skill_upsert",
    "skill_retire",
    "skill_reactivate",
    "proficiency_level_upsert",
    "skill_level_description_set",
    "job_type_upsert",
    "target_skill_set",
    "target_skill_remove",
]
