"""The work briefing's pages: choose a period and unit, read the briefing with its figures
filled in, download it as Word or plain text (each download audited), and, for HQ, edit its
narrative per part. Views parse input and render; the reads are reports.selectors.briefing,
the writes reports.services, the layout reports.briefing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.views import add_validation_error
from reports.briefing import briefing_document, briefing_export, placeholder_labels, placeholder_values
from reports.forms import BriefingForm, BriefingTextForm
from reports.selectors.briefing import briefing_content
from reports.services import briefing_reset, briefing_save


def period_query(data: dict) -> str:
    """The query string of a briefing's period and unit, for the links between its pages."""
    return urlencode({"start": data["start"].isoformat(), "end": data["end"].isoformat(), "unit": data["unit"].pk})


class BriefingPageMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "reports.view_briefing"

    def period_form(self) -> BriefingForm:
        return BriefingForm(self.request.GET, user=self.request.user)


class BriefingView(BriefingPageMixin, TemplateView):
    """The briefing of a period and unit (this month and the top of the user's scope by
    default), as it will be downloaded: the narrative with the figures filled in and the
    closing examples. A bad period or a unit outside the scope is a form error (400)."""

    template_name = "reports/briefing.html"

    def get(self, request, *args, **kwargs):
        form = self.period_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(self.get_context_data(form=form, data=form.cleaned_data))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = kwargs.get("data")
        if data is None:
            return context
        content = briefing_content(user=self.request.user, **data)
        query = period_query(data)
        context.update(
            doc=briefing_document(content),
            saved=content.saved,
            unit=content.unit,
            docx_url=f"{reverse('reports:briefing_docx')}?{query}",
            txt_url=f"{reverse('reports:briefing_txt')}?{query}",
            edit_url=(f"{reverse('reports:briefing_edit')}?{query}"
                      if self.request.user.has_perm("reports.change_briefing") else ""),
        )
        return context


class BriefingDownloadView(BriefingPageMixin, TemplateView):
    """GET with the period's query: the briefing as a file (`extension`: docx or txt)."""

    template_name = "reports/briefing.html"
    extension = "docx"

    def get(self, request, *args, **kwargs):
        form = self.period_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return briefing_export(request, form.cleaned_data, self.extension)


class BriefingEditView(BriefingPageMixin, TemplateView):
    """HQ edits the narrative of the period's briefing, part by part, with the placeholders
    of the figures listed beside it (and their values for the period); saved per unit and
    period (reports.services.briefing_save), or put back to the default."""

    permission_required = "reports.change_briefing"
    template_name = "reports/briefing_edit.html"

    def get(self, request, *args, **kwargs):
        period = self.period_form()
        if not period.is_valid():
            return self.render_to_response(self.get_context_data(period=period), status=400)
        return self.render_page(period, None)

    def post(self, request, *args, **kwargs):
        period = self.period_form()
        if not period.is_valid():
            return self.render_to_response(self.get_context_data(period=period), status=400)
        data = period.cleaned_data
        preview = f"{reverse('reports:briefing')}?{period_query(data)}"
        if "reset" in request.POST:
            if briefing_reset(user=request.user, **data):
                messages.success(request, _("The briefing of this period reads the default text again."))
            return redirect(preview)
        form = BriefingTextForm(request.POST)
        if form.is_valid():
            try:
                briefing_save(user=request.user, **data, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Saved the briefing of this period."))
                return redirect(preview)
        return self.render_page(period, form)

    def render_page(self, period: BriefingForm, form: BriefingTextForm | None):
        data = period.cleaned_data
        content = briefing_content(user=self.request.user, **data)
        if form is None:
            form = BriefingTextForm(initial=content.narrative)
        values = placeholder_values(content.figures, unit_name=content.unit.name, start=content.start,
                                    end=content.end)
        return self.render_to_response(self.get_context_data(
            period=period, form=form, saved=content.saved, unit=content.unit, start=content.start, end=content.end,
            placeholders=[(f"{{{name}}}", label, values.get(name, "")) for name, label in placeholder_labels().items()],
            preview_url=f"{reverse('reports:briefing')}?{period_query(data)}",
        ))
