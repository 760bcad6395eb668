"""Input of the supervision pages: the spot-check form with its findings formset (and the
photo rules), the bulletin form (the list filters are supervision.filters').

Forms only parse and check the shape of input; the rules (the post is in scope, the person
is on the shift, an issued bulletin is frozen) are the services' (supervision.services)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeLocalInput, ScopedModelForm
from core.photos import PHOTO_ACCEPT, validate_photo
from org.models import Person
from posts.models import Post
from supervision.models import Bulletin, FindingIssue, SpotCheckMethod

class SpotCheckForm(forms.Form):
    """The check itself: which post, how, when, and a note."""

    post = forms.ModelChoiceField(label=_("post"), queryset=Post.objects.none())
    method = forms.ChoiceField(label=_("method"), choices=SpotCheckMethod.choices)
    checked_at = forms.DateTimeField(label=_("checked at"), widget=DateTimeLocalInput())
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        posts = (
            Post.objects.visible_to(user).filter(active=True).select_related("school", "station")
            .order_by("station__name", "school__name", "name")
        )
        post = self.fields["post"]
        post.queryset = posts
        # A district has a hundred posts: grouped by station (static/js/post_picker.js adds
        # a filter box). Read when the page is drawn, in the one query the flat list took.
        post.widget.choices = lambda: post_choices(posts, empty_label=post.empty_label)
        for name, field in self.fields.items():
            css = "form-select" if name in ("post", "method") else "form-control"
            field.widget.attrs.setdefault("class", css)


def post_choices(posts, *, empty_label) -> list:
    """Posts as select choices, an <optgroup> per station, each post named as everywhere
    (Post.label: "圣莲岛小学·正门护学岗")."""
    groups: dict[str, list] = {}
    for post in posts:
        groups.setdefault(post.station.name, []).append((post.pk, Post.label(post.school.name, post.name)))
    return [("", empty_label), *groups.items()]


class FindingForm(forms.Form):
    """One row of findings. `people` are the choices offered (those on the shift when it is
    known); any person in the user's scope is accepted, and the service refuses one who is
    not on the shift, naming the row."""

    person = forms.ModelChoiceField(label=_("person"), queryset=Person.objects.none(), required=False)
    issue = forms.ChoiceField(label=_("issue"), choices=[("", "---------"), *FindingIssue.choices])
    note = forms.CharField(label=_("note"), required=False, max_length=500)
    photo = forms.FileField(
        label=_("photo"), required=False, validators=[validate_photo],
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )

    def __init__(self, *args, user, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = Person.objects.visible_to(user).select_related("unit")
        field.label_from_instance = person_label
        if people is not None:
            # Offer only the likely people; the queryset above still decides what is valid.
            choices = [("", "---------"), *[(p.pk, person_label(p)) for p in people]]
            chosen = self._chosen_person_id()
            if chosen is not None and chosen not in {p.pk for p in people}:
                # Keep showing a choice the service refused, so the row's error makes sense.
                extra = field.queryset.filter(pk=chosen).first()
                if extra is not None:
                    choices.append((extra.pk, person_label(extra)))
            field.widget.choices = choices
        for name, f in self.fields.items():
            f.widget.attrs.setdefault("class", "form-select form-select-sm" if name in ("person", "issue")
                                      else "form-control form-control-sm")

    def _chosen_person_id(self) -> int | None:
        if not self.is_bound:
            return None
        try:
            return int(self.data.get(self.add_prefix("person")) or 0) or None
        except (TypeError, ValueError):
            return None

    def clean_photo(self):
        # A random stored name: a phone's file name says nothing useful and may say too much.
        photo = self.cleaned_data.get("photo")
        if photo:
            photo.name = f"{uuid.uuid4().hex}.{photo.name.rsplit('.', 1)[-1].lower()}"
        return photo

    def to_service(self) -> dict:
        data = self.cleaned_data
        return {"person": data.get("person"), "issue": data["issue"], "note": data.get("note", ""),
                "photo": data.get("photo")}


def person_label(person: Person) -> str:
    return f"{person.name}（{person.get_kind_display()}）"


class BaseFindingFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[FindingForm]:
        """The rows the user filled in (blank extra rows are ignored)."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]


FindingFormSet = forms.formset_factory(
    FindingForm, formset=BaseFindingFormSet, extra=3, max_num=30, validate_max=True,
)


class BulletinForm(ScopedModelForm):
    """A draft's unit, title, period and text. Saving goes through bulletin_create/update."""

    class Meta:
        model = Bulletin
        fields = ["unit", "title", "period_start", "period_end", "text"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "text": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The issuing unit is fixed once drafted (bulletin_update does not change it).
            self.fields["unit"].disabled = True
        elif not self.initial.get("unit") and self.user.unit_id:
            self.initial["unit"] = self.user.unit_id
