"""Reads of the digital skill map. Every page, GraphQL resolver, report and the matching engine use these.

The functions live in one module per sub-domain (levels, gaps, taxonomy, profiles, capacity, expert_search,
skill_map, validation); this package re-exports them. The allocated-hours hook lives in `capacity` only.
"""

from skills.selectors.capacity import available_hours_expression, register_allocated_hours
from skills.selectors.expert_search import SkillRequirement, expert_search_for, level_key
from skills.selectors.gaps import RatingGap, RatingGapRow, latest_ratings, rating_gap_rows_for, rating_gaps
from skills.selectors.levels import (
    certified_skills,
    current_assessments,
    current_level_columns,
    current_level_subquery,
    current_levels,
    interests,
    pending_assessments,
    pending_levels,
    valid_certifications,
)
from skills.selectors.profiles import (
    own_staff_profile,
    staff_profile_by_email_for,
    staff_profile_get_for,
    staff_profile_list_for,
)
from skills.selectors.skill_map import (
    SkillMapRow,
    assessment_history,
    certification_list,
    skill_detail_prefetches,
    skill_map,
    with_skill_details,
)
from skills.selectors.taxonomy import (
    job_type_list,
    proficiency_levels,
    skill_by_code,
    skill_category_list,
    skill_list,
    skill_retire_impact,
)
from skills.selectors.validation import (
    assessment_export_for,
    assessment_get_for_validation,
    assessment_list_for,
    certification_export_for,
    certifications_expiring,
    home_counts_for,
    pending_validations,
    validation_queue_for,
)

__all__ = [
    "skill_retire_impact",
    "home_counts_for",
    "pending_validations",
    "current_assessments",
    "current_levels",
    "current_level_columns",
    "current_level_subquery",
    "pending_assessments",
    "pending_levels",
    "valid_certifications",
    "certified_skills",
    "interests",
    "latest_ratings",
    "RatingGap",
    "rating_gaps",
    "RatingGapRow",
    "rating_gap_rows_for",
    "skill_category_list",
    "skill_list",
    "skill_by_code",
    "proficiency_levels",
    "job_type_list",
    "staff_profile_list_for",
    "staff_profile_get_for",
    "staff_profile_by_email_for",
    "own_staff_profile",
    "register_allocated_hours",
    "available_hours_expression",
    "SkillRequirement",
    "level_key",
    "expert_search_for",
    "assessment_history",
    "certification_list",
    "SkillMapRow",
    "skill_map",
    "with_skill_details",
    "skill_detail_prefetches",
    "validation_queue_for",
    "assessment_get_for_validation",
    "assessment_list_for",
    "assessment_export_for",
    "certification_export_for",
    "certifications_expiring",
]
