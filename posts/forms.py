from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ScopedModelForm, TimeInput
from core.imports import ImportColumn, ImportSpec, NamedModelChoiceField
from org.models import Unit
from posts.models import (
    WEEKDAY_LABELS,
    CalendarOverride,
    Holiday,
    HolidayYear,
    Post,
    School,
    Term,
    Timetable,
    mask_to_weekdays,
    weekdays_to_mask,
)


class SchoolForm(ScopedModelForm):
    class Meta:
        model = School
        fields = ["name", "kind", "station", "address", "lat", "lng", "pupils", "contact_name", "contact_phone"]


STAFFING_FIELDS = ["need_police", "need_auxiliary", "need_school_security", "need_guard", "need_staff", "need_volunteer"]


class PostForm(ScopedModelForm):
    class Meta:
        model = Post
        fields = ["school", "name", "station", "lat", "lng", "radius_m", "lead_minutes", "active", *STAFFING_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].required = False
        self.fields["station"].help_text = _("Left empty: the school's station.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("station") and "station" not in self.errors:
            school = cleaned.get("school")
            if school is not None:
                cleaned["station"] = school.station
            elif "school" not in self.errors:
                self.add_error("station", _("Choose the police station."))
        return cleaned


class TermForm(ScopedModelForm):
    class Meta:
        model = Term
        fields = ["school", "name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class CalendarOverrideForm(ScopedModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["school", "date", "is_school_day", "follows_weekday", "reason"]
        widgets = {"date": DateInput()}


class WeekdaysField(forms.TypedMultipleChoiceField):
    """Weekdays as checkboxes (1 = Monday … 7 = Sunday), cleaned into the bit mask the model
    keeps (posts.models.weekdays_to_mask)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("weekdays"))
        kwargs.setdefault("initial", [1, 2, 3, 4, 5])
        super().__init__(choices=list(WEEKDAY_LABELS.items()), coerce=int, **kwargs)

    def clean(self, value) -> int:
        return weekdays_to_mask(super().clean(value))


class WeekdaysFormMixin:
    """For a model form with a `weekdays = WeekdaysField()`: an instance's mask is offered as
    its days."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["weekdays"] = mask_to_weekdays(self.instance.weekdays)


class TimetableForm(WeekdaysFormMixin, ScopedModelForm):
    weekdays = WeekdaysField()

    class Meta:
        model = Timetable
        fields = ["school", "period", "weekdays", "start", "end", "valid_from", "valid_to"]
        widgets = {"start": TimeInput(), "end": TimeInput(), "valid_from": DateInput(), "valid_to": DateInput()}


class SchoolImportForm(SchoolForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["station"] = NamedModelChoiceField(
            queryset=Unit.objects.visible_to(user), label=_("police station")
        )


class SchoolImport(ImportSpec):
    title = _("Schools")
    form_class = SchoolImportForm
    columns = [
        ImportColumn("学校名称", "name", required=True, example="圣莲岛小学"),
        ImportColumn("类别", "kind", required=True, note="幼儿园、小学、初中、高中、九年一贯制、中职", example="小学"),
        ImportColumn("所属派出所", "station", required=True, note="派出所全称", example="仁里派出所"),
        ImportColumn("地址", "address", example="船山区圣莲岛路1号"),
        ImportColumn("纬度", "lat", note="WGS-84 十进制度", example=30.5128),
        ImportColumn("经度", "lng", note="WGS-84 十进制度", example=105.5712),
        ImportColumn("学生人数", "pupils", example=1200),
        ImportColumn("联系人", "contact_name", example="李老师"),
        ImportColumn("联系电话", "contact_phone", example="13800000001"),
    ]


class PostImportForm(PostForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["school"] = NamedModelChoiceField(queryset=School.objects.visible_to(user), label=_("school"))
        self.fields["station"] = NamedModelChoiceField(
            queryset=Unit.objects.visible_to(user), required=False, label=_("police station")
        )


class PostImport(ImportSpec):
    title = _("Posts")
    form_class = PostImportForm
    columns = [
        ImportColumn("学校名称", "school", required=True, example="圣莲岛小学"),
        ImportColumn("岗位名称", "name", required=True, example="正门护学岗"),
        ImportColumn("负责派出所", "station", note="留空为学校所在派出所", example=""),
        ImportColumn("纬度", "lat", example=30.5129),
        ImportColumn("经度", "lng", example=105.5713),
        ImportColumn("电子围栏半径(米)", "radius_m", example=150, default=150),
        ImportColumn("提前到岗(分钟)", "lead_minutes", example=15, default=15),
        ImportColumn("启用", "active", note="是/否，留空为“是”", example="是", default="是"),
        ImportColumn("民警", "need_police", note="每班需要人数，留空按标准配备", example=1, default=1),
        ImportColumn("辅警", "need_auxiliary", example=1, default=1),
        ImportColumn("学校保卫干部", "need_school_security", example=1, default=1),
        ImportColumn("专职保安员", "need_guard", example=2, default=2),
        ImportColumn("教职员工", "need_staff", example=2, default=2),
        ImportColumn("群防群治力量", "need_volunteer", example=4, default=4),
    ]


class HolidayForm(ScopedModelForm):
    """One public holiday or make-up working day. Saving the first day of a year marks the
    year as known (its other dates are no longer guesses), so enter a whole year at once —
    the Excel import does that."""

    class Meta:
        model = Holiday
        fields = ["date", "kind", "name"]
        widgets = {"date": DateInput()}

    def save(self, commit=True):
        year, _created = HolidayYear.objects.get_or_create(
            year=self.instance.date.year, defaults={"source": HolidayYear.Source.MANUAL}
        )
        self.instance.year = year
        return super().save(commit)


class HolidayImport(ImportSpec):
    title = _("Holidays")
    form_class = HolidayForm
    columns = [
        ImportColumn("日期", "date", required=True, note="格式 2027-01-01；一次导入一整年的放假日和调休上班日", example="2027-01-01"),
        ImportColumn("类型", "kind", required=True, note="放假 或 调休上班", example="放假"),
        ImportColumn("名称", "name", example="元旦"),
    ]
