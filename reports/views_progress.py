"""The progress report (page, narrative, PDF, .xlsx/.csv) and the coverage of the municipalities: ICT managers,
HR and admins (404 for everyone else, as the other reports). The narrative is written by ICT managers."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.fiscal import fiscal_year_of, today
from core.forms import BootstrapFormMixin
from core.tabular import exports as tabular_exports
from reports import exports
from reports.pdf import html_to_pdf, pdf_available
from reports.progress import PERIODS, can_view_progress_report, narrative_save, progress_report_for
from reports.tables.progress import progress_sections
from support import engagement_policies
from support.selectors_engagements import coverage_summary, engagement_coverage

FIRST_YEAR = 2015


class ProgressForm(BootstrapFormMixin, forms.Form):
    fy = forms.TypedChoiceField(label=gettext_lazy("Fiscal year"), coerce=int, choices=())
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=list(PERIODS.items()))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = fiscal_year_of(today())
        self.fields["fy"].choices = [(y, str(y)) for y in range(current, FIRST_YEAR - 1, -1)]


class NarrativeForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


def _period(request) -> tuple[int, str]:
    form = ProgressForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form.cleaned_data["fy"], form.cleaned_data["period"]
    return fiscal_year_of(today()), "ytd"


def _allowed(request) -> None:
    if not can_view_progress_report(request.user):
        raise Http404


@login_required
def progress(request):
    _allowed(request)
    fy, period = _period(request)
    if request.method == "POST":
        if not engagement_policies.can_write_narrative(request.user):
            raise Http404
        form = NarrativeForm(request.POST)
        if form.is_valid():
            narrative_save(actor=request.user, fiscal_year=fy, period=period, text=form.cleaned_data["text"])
            messages.success(request, _("The narrative was saved."))
        return redirect(f"{reverse('reports:progress')}?fy={fy}&period={period}")
    report = progress_report_for(request.user, fiscal_year=fy, period=period)
    sections = progress_sections(report)
    display = ProgressForm({"fy": fy, "period": period})
    display.is_valid()
    return render(
        request,
        "reports/progress.html",
        {
            "report": report,
            "sections": sections,
            "charts": [{"id": f"chart-{s.id}", **s.chart.as_json()} for s in sections if s.chart and s.rows],
            "form": display,
            "narrative_form": NarrativeForm(initial={"text": report.narrative})
            if engagement_policies.can_write_narrative(request.user)
            else None,
            "query": f"fy={fy}&period={period}",
            "pdf_available": pdf_available(),
        },
    )


def progress_pdf_bytes(user, *, fiscal_year: int, period: str) -> bytes:
    report = progress_report_for(user, fiscal_year=fiscal_year, period=period)
    html = render_to_string(
        "reports/progress_pdf.html", {"report": report, "sections": progress_sections(report)}
    )
    return html_to_pdf(html)


@login_required
def progress_export(request, fmt: str):
    _allowed(request)
    fy, period = _period(request)
    filename = f"progress-{fy}-{period}"
    if fmt == "pdf":
        if not pdf_available():
            return HttpResponse(
                _("PDF output is not available on this server (WeasyPrint is not installed)."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
        response = HttpResponse(
            progress_pdf_bytes(request.user, fiscal_year=fy, period=period), content_type="application/pdf"
        )
    else:
        sections = progress_sections(progress_report_for(request.user, fiscal_year=fy, period=period))
        if fmt == "xlsx":
            response = HttpResponse(exports.to_xlsx(sections), content_type=exports.XLSX_CONTENT_TYPE)
        else:
            encoding = tabular_exports.encoding_of(request.GET.get("encoding"))
            response = HttpResponse(
                exports.to_csv(sections, encoding),
                content_type=tabular_exports.CONTENT_TYPES[("csv", encoding)],
            )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def engagement_coverage_page(request):
    _allowed(request)
    try:
        fiscal_year = int(request.GET.get("fy") or fiscal_year_of(today()))
    except ValueError:
        fiscal_year = fiscal_year_of(today())
    rows = engagement_coverage(fiscal_year)
    only = request.GET.get("missing")
    shown = (
        [r for r in rows if not getattr(r, only)]
        if only in ("round_table", "outreach", "any_engagement")
        else rows
    )
    return render(
        request,
        "reports/engagement_coverage.html",
        {
            "fiscal_year": fiscal_year,
            "rows": shown,
            "summary": coverage_summary(rows),
            "missing": only or "",
            "can_open": engagement_policies.sees_all_engagements(request.user),
        },
    )
