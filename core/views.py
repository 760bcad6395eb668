"""Generic HTML views. A model's pages are thin declarations on these bases (NetBox style):
a list declares `filterset_class` and `columns`; a detail page `fields`; an edit page
`form_class`. Every base reads through the user's scope, so another station's object is 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.generic import DeleteView, DetailView, FormView, ListView, UpdateView

from core.excel import build_workbook, workbook_response
from core.forms import ImportUploadForm
from core.imports import ImportFailed, ImportSpec, run_import
from core.tables import Column
from core.scope import can_write
from core.signals import exported, query_filters, report_out_of_scope


def url_name(model, action: str) -> str:
    return f"{model._meta.app_label}:{model._meta.model_name}_{action}"


class ScopedViewMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed in (else the login page), holding `<app>.<action>_<model>` (else 403), and
    reading only rows in the user's scope (else 404)."""

    model = None
    action = "view"

    def get_permission_required(self):
        opts = self.model._meta
        return [f"{opts.app_label}.{self.action}_{opts.model_name}"]

    def get_queryset(self):
        queryset = getattr(self, "queryset", None)
        if queryset is None:
            queryset = self.model._default_manager.all()
        return queryset.all().visible_to(self.request.user)

    def get_object(self, queryset=None):
        try:
            return super().get_object(queryset)
        except Http404:
            pk = self.kwargs.get(getattr(self, "pk_url_kwarg", "pk"))
            if pk is not None:
                report_out_of_scope(self.request, self.model, {"pk": pk})
            raise

    def has_model_perm(self, action: str) -> bool:
        opts = self.model._meta
        return self.request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        context.update(
            verbose_name=opts.verbose_name,
            verbose_name_plural=opts.verbose_name_plural,
            list_url=reverse(url_name(self.model, "list")),
        )
        return context


class ObjectListView(ScopedViewMixin, ListView):
    """A filterable, paginated list with an Excel export of the filtered rows (?export=xlsx).
    The queryset's select_related must cover every column, so the page's query count does
    not grow with its rows."""

    filterset_class = None
    columns: list[Column] = []
    paginate_by = 50
    template_name = "generic/object_list.html"
    export_name: str | None = None
    importable = False

    def get_filterset(self):
        filterset = self.filterset_class(self.request.GET or None, queryset=super().get_queryset(), request=self.request)
        for field in filterset.form.fields.values():
            widget = field.widget
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
        return filterset

    def get_queryset(self):
        self.filterset = self.get_filterset()
        return self.filterset.qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self) -> HttpResponse:
        queryset = self.get_queryset()
        count = 0

        def rows():
            nonlocal count
            for obj in queryset.iterator(chunk_size=2000):
                count += 1
                yield [column.shown(obj, self.request.user) for column in self.columns]

        title = str(self.export_name or self.model._meta.verbose_name_plural)
        content = build_workbook(title, [str(c.header) for c in self.columns], rows())
        exported.send(sender=self.model, request=self.request, name=title,
                      filters=query_filters(self.request.GET), rows=count)
        return workbook_response(title, content)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        export_query = query.copy()
        export_query["export"] = "xlsx"
        context.update(
            filter_form=self.filterset.form,
            columns=self.columns,
            rows=[(obj, [(c, c.text_for(obj, self.request.user)) for c in self.columns]) for obj in context["object_list"]],
            query_string=query.urlencode(),
            export_url=f"?{export_query.urlencode()}",
            add_url=reverse(url_name(self.model, "add")) if self.has_model_perm("add") else None,
            import_url=(
                reverse(url_name(self.model, "import"))
                if self.importable and self.has_model_perm("add")
                else None
            ),
        )
        return context


class ObjectDetailView(ScopedViewMixin, DetailView):
    """An object's fields, its related tables and its change history."""

    fields: list[Column] = []
    template_name = "generic/object_detail.html"
    history_limit = 30

    def get_related_tables(self) -> list[dict]:
        """Override to show related rows: dicts with title, columns, rows (objects)."""
        return []

    def get_history(self):
        history = getattr(self.object, "history", None)
        if history is None:
            return []
        records = list(history.select_related("history_user").order_by("-history_date")[: self.history_limit + 1])
        entries = []
        for index, record in enumerate(records[: self.history_limit]):
            previous = records[index + 1] if index + 1 < len(records) else None
            changes = []
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous)
                for change in delta.changes:
                    field = self.model._meta.get_field(change.field)
                    changes.append({
                        "field": field.verbose_name,
                        "old": change.old,
                        "new": change.new,
                    })
            entries.append({"record": record, "changes": changes})
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        tables = []
        for table in self.get_related_tables():
            tables.append({
                **table,
                "rows": [(row, [(c, c.text_for(row, self.request.user)) for c in table["columns"]]) for row in table["rows"]],
            })
        writable = can_write(self.request.user, obj)
        context.update(
            field_rows=[(c.header, c.text_for(obj, self.request.user)) for c in self.fields],
            related_tables=tables,
            history=self.get_history(),
            edit_url=(
                reverse(url_name(self.model, "edit"), args=[obj.pk])
                if writable and self.has_model_perm("change")
                else None
            ),
            delete_url=(
                reverse(url_name(self.model, "delete"), args=[obj.pk])
                if writable and self.has_model_perm("delete")
                else None
            ),
        )
        return context


def add_validation_error(form, error: ValidationError, *, fields=None, fallback=None) -> None:
    """Put a service's ValidationError on a form: each message on the field it names when the
    form has that field (and it is one of `fields`, if given), otherwise on `fallback` (a
    callable taking the messages, e.g. a formset's non-form errors) or above the form."""
    def elsewhere(texts):
        if fallback is not None:
            fallback(texts)
        else:
            form.add_error(None, texts)

    if not hasattr(error, "error_dict"):
        elsewhere(error.messages)
        return
    for name, errors in error.message_dict.items():
        if name in form.fields and (fields is None or name in fields):
            form.add_error(name, errors)
        else:
            elsewhere(errors)


class ObjectEditView(ScopedViewMixin, UpdateView):
    """Create (no pk in the URL) or edit an object with a ScopedModelForm."""

    template_name = "generic/object_form.html"

    def get_permission_required(self):
        opts = self.model._meta
        action = "change" if "pk" in self.kwargs else "add"
        return [f"{opts.app_label}.{action}_{opts.model_name}"]

    def get_object(self, queryset=None):
        if "pk" not in self.kwargs:
            return self.model()
        obj = super().get_object(queryset)
        if not can_write(self.request.user, obj):
            raise PermissionDenied
        return obj

    def get_initial(self):
        initial = super().get_initial()
        for key in self.request.GET:
            initial[key] = self.request.GET.get(key)
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save_form(self, form):
        """Save a valid form and return the object. A model whose writes go through a
        service overrides this to call it; a ValidationError the service raises is shown
        on the form (on the field it names, else above the form)."""
        return form.save()

    def success_message(self, created: bool) -> str:
        """What the page says after saving; a service's page may say what else happened."""
        message = _("Created %(obj)s.") if created else _("Saved %(obj)s.")
        return message % {"obj": self.object}

    def form_valid(self, form):
        created = form.instance.pk is None
        try:
            self.object = self.save_form(form)
        except ValidationError as exc:
            add_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(created))
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse(url_name(self.model, "detail"), args=[self.object.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["creating"] = self.object.pk is None
        return context


class ObjectDeleteView(ScopedViewMixin, DeleteView):
    action = "delete"
    template_name = "generic/object_confirm_delete.html"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can_write(self.request.user, obj):
            raise PermissionDenied
        return obj

    def delete_object(self, obj) -> None:
        """Override to delete through a service that decides what else goes with the row."""
        obj.delete()

    def form_valid(self, form):
        try:
            label = str(self.object)
            self.delete_object(self.object)
        except (ProtectedError, RestrictedError) as exc:
            blocking = exc.protected_objects if isinstance(exc, ProtectedError) else exc.restricted_objects
            kinds = "、".join(sorted({str(o._meta.verbose_name) for o in blocking}))
            messages.error(self.request, _("Cannot delete %(obj)s: it is still used by %(what)s.") % {
                "obj": self.object, "what": kinds})
            return redirect(url_name(self.model, "detail"), pk=self.object.pk)
        messages.success(self.request, _("Deleted %(obj)s.") % {"obj": label})
        return redirect(url_name(self.model, "list"))


class ObjectImportView(ScopedViewMixin, FormView):
    """Upload an Excel file; every row is saved or none. The form refuses a file above
    IMPORT_MAX_BYTES by its size; run_import refuses the rest before writing. GET ?template=1
    downloads the template: the headers to fill in, and the notes and an example row on a
    second sheet that is not imported."""

    action = "add"
    spec: ImportSpec
    template_name = "generic/object_import.html"

    form_class = ImportUploadForm

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            title = "{}-{}".format(self.spec.title, _("import template"))
            return workbook_response(title, self.spec.template_bytes())
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            result = run_import(self.spec, form.cleaned_data["file"], user=self.request.user)
        except ImportFailed as failure:
            return self.render_to_response(self.get_context_data(form=form, errors=failure.errors))
        text = _("Imported %(count)d rows.") % {"count": result.created}
        if result.ignored_columns:
            text += " " + _("Ignored columns: %(cols)s.") % {"cols": "、".join(result.ignored_columns)}
        messages.success(self.request, text)
        return redirect(url_name(self.model, "list"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(spec=self.spec, columns=self.spec.columns)
        return context


def crud_paths(prefix: str, model, *, list_view, detail_view, edit_view, delete_view, import_view=None):
    """URL patterns for one model, named `<model>_<action>` inside the app's namespace."""
    name = model._meta.model_name
    patterns = [
        path(f"{prefix}/", list_view.as_view(), name=f"{name}_list"),
        path(f"{prefix}/add/", edit_view.as_view(), name=f"{name}_add"),
        path(f"{prefix}/<int:pk>/", detail_view.as_view(), name=f"{name}_detail"),
        path(f"{prefix}/<int:pk>/edit/", edit_view.as_view(), name=f"{name}_edit"),
        path(f"{prefix}/<int:pk>/delete/", delete_view.as_view(), name=f"{name}_delete"),
    ]
    if import_view is not None:
        patterns.append(path(f"{prefix}/import/", import_view.as_view(), name=f"{name}_import"))
    return patterns
