"""Filters of the request lists (django-filter). Every key is declared here: nothing else from the URL is used."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, OrganizationKind
from core.filters import BootstrapFilterSet
from core.fiscal import fiscal_year_label, fiscal_year_of, today
from skills import selectors as skills_selectors
from skills.models import StaffProfile
from support import policies, selectors
from support.models import Assignment, Phase, Priority, Status
from support.selectors_home import follow_up_q

FIRST_FISCAL_YEAR = 2015


def fiscal_year_choices():
    """Every fiscal year from the current one back to the first, newest first, after an "all years" choice."""
    current = fiscal_year_of(today())
    return [("", "---------")] + [
        (year, fiscal_year_label(year)) for year in range(current, FIRST_FISCAL_YEAR - 1, -1)
    ]


class CheckboxWidget(forms.CheckboxInput):
    """A checkbox that is on unless the form was sent with it off: a hidden "0" goes first, so a GET form sends
    "0" alone when unchecked and "0", "1" when checked; a link without the key leaves it on."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html('<input type="hidden" name="{}" value="0">', name) + super().render(
            name, value, attrs, renderer
        )

    def value_from_datadict(self, data, files, name):
        if name not in data:
            return True
        values = data.getlist(name) if hasattr(data, "getlist") else [data[name]]
        return values[-1] not in ("0", "false", "False", "")


MINE_ASSIGNED, MINE_FILED = "assigned", "filed"
MINE_CHOICES = ((MINE_ASSIGNED, _("Assigned to me")), (MINE_FILED, _("Filed by me")))


class RequestFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")
    # --- helpdesk filters: mine / unassigned / assignee (lists) -------------------------------------------------
    mine = django_filters.ChoiceFilter(
        label=_("Mine"), choices=MINE_CHOICES, method="filter_mine", empty_label=_("Everyone's")
    )
    unassigned = django_filters.BooleanFilter(
        label=_("Unassigned"), method="filter_unassigned", widget=forms.CheckboxInput
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"), queryset=StaffProfile.objects.none(), method="filter_assignee"
    )
    # --- end of helpdesk filters ----------------------------------------------------------------------------------
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        widget=forms.CheckboxSelectMultiple,  # shown as chips (support/_filters.html): no Ctrl-click list
        distinct=False,  # a plain column filter: no join, no duplicates, so no SELECT DISTINCT
    )
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=None, to_field_name="code")
    phase = django_filters.ChoiceFilter(label=_("Project phase"), choices=Phase.choices)
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices)
    organization_kind = django_filters.ChoiceFilter(
        label=_("Organisation kind"), field_name="organization__kind", choices=OrganizationKind.choices
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organization.objects.order_by("kind", "code"),
        to_field_name="code",
        method="filter_organization",
    )
    suborganizations = django_filters.BooleanFilter(
        label=_("Include sub-organisations"), method="filter_nothing", widget=CheckboxWidget
    )
    fiscal_year = django_filters.TypedChoiceFilter(
        label=_("Fiscal year"), choices=fiscal_year_choices, coerce=int
    )
    # --- service levels (sla): overdue, due before, waiting too long, to rate ------------------------------------
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    due_before = django_filters.DateFilter(
        label=_("Resolution due by"),
        field_name="resolution_due",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    waiting_days = django_filters.NumberFilter(
        label=_("Waiting on requester (business days ≥)"),
        method="filter_waiting_days",
        min_value=0,
        max_value=250,
    )
    to_rate = django_filters.BooleanFilter(
        label=_("Resolved, not yet rated"), method="filter_to_rate", widget=forms.CheckboxInput
    )
    follow_up = django_filters.BooleanFilter(
        label=_("Low satisfaction to follow up"), method="filter_follow_up", widget=forms.CheckboxInput
    )
    # --- end of service levels ----------------------------------------------------------------------------------

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if user is None or not policies.sees_internal(user):
            self.filters.pop("follow_up", None)  # whether a rating was followed up is the ICT side's business
        self.filters["category"].queryset = selectors.category_list(active_only=False)
        self._limit_to_user(user)

    # --- helpdesk filters: mine / unassigned / assignee (lists) -------------------------------------------------

    def _limit_to_user(self, user) -> None:
        """Offer each user the filters that mean something to them. The ICT side: assigned to me or filed by me,
        unassigned, any assignee. A requester: filed by me, and only the organisations whose requests they see
        (the list itself is scoped by support.selectors whatever the URL says)."""
        if user is None:
            return  # a caller with its own scoping (tests, exports): the filters as declared
        if policies.sees_all_requests(user):
            self.filters["assignee"].queryset = skills_selectors.staff_profile_list_for(user).order_by(
                "user__display_name", "pk"
            )
            return
        for name in ("unassigned", "assignee"):
            self.filters.pop(name, None)
        self.filters["mine"].extra["choices"] = [(MINE_FILED, _("Filed by me"))]
        seen = policies.organizations_seen(user) if user.organization_id else frozenset()
        self.filters["organization"].queryset = Organization.objects.filter(pk__in=seen).order_by(
            "kind", "code"
        )

    def filter_mine(self, queryset, name, value):
        if value == MINE_FILED:
            return queryset.filter(requester=self.user)
        if value == MINE_ASSIGNED:
            mine = Assignment.objects.active().filter(staff__user=self.user).values("request_id")
            return queryset.filter(pk__in=mine)
        return queryset

    def filter_unassigned(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.exclude(Exists(Assignment.objects.active().filter(request=OuterRef("pk"))))

    def filter_assignee(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Assignment.objects.active().filter(staff=value).values("request_id"))

    # --- end of helpdesk filters ----------------------------------------------------------------------------------

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference__iexact=value) | Q(title__icontains=value))

    def filter_organization(self, queryset, name, value):
        """An organisation's requests; with 「下位組織を含む」 (on unless turned off) its departments' or sections'
        too."""
        if not value:
            return queryset
        with_children = self.form.cleaned_data.get("suborganizations", True) is not False
        return selectors.of_organization(queryset, value, include_sub_organizations=with_children)

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_organization

    # --- service levels (sla) -------------------------------------------------------------------------------------

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.overdue(today())

    def filter_waiting_days(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(selectors.waiting_on_requester_q(int(value)))

    def filter_to_rate(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(selectors.to_rate_q())

    def filter_follow_up(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(follow_up_q())

    # --- end of service levels ----------------------------------------------------------------------------------


#: Keys of the request lists' address besides the filters: page size, the table's sort, the triage queue's "every
#: status". A saved view keeps these and the filters, nothing else (no page number, nothing unknown).
LIST_KEYS = ("per_page", "sort", "_all")


def list_query_keys() -> frozenset[str]:
    return frozenset(RequestFilter.base_filters) | frozenset(LIST_KEYS)
