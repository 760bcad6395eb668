from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, ScopedModelForm
from core.imports import ImportColumn, ImportSpec, NamedModelChoiceField
from org.models import Person, Unit


class UnitForm(ScopedModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent", "code", "phone"]


class PersonForm(ScopedModelForm):
    class Meta:
        model = Person
        fields = [
            "name", "kind", "unit", "school", "phone", "badge_no", "certificate_no",
            "hire_date", "active", "dismissed_reason", "dismissed_on",
        ]
        widgets = {"hire_date": DateInput(), "dismissed_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = False
        self.fields["unit"].help_text = _("Left empty for a school's people: the school's station.")

    def clean(self):
        cleaned = super().clean()
        # A school's people belong to the school's station: fill it in when left empty.
        school = cleaned.get("school")
        if not cleaned.get("unit") and "unit" not in self.errors:
            if school is not None:
                cleaned["unit"] = school.station
            else:
                self.add_error("unit", _("Choose the unit, or the school for a school's people."))
        return cleaned


class PersonImportForm(PersonForm):
    """One Excel row: unit and school are given by name, not id."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The same choices the person form offers (scoped by ScopedModelForm), by name.
        for name in ("unit", "school"):
            field = self.fields[name]
            self.fields[name] = NamedModelChoiceField(queryset=field.queryset, required=False, label=field.label)


class PersonImport(ImportSpec):
    title = _("People")
    form_class = PersonImportForm
    columns = [
        ImportColumn("姓名", "name", required=True, example="张三"),
        ImportColumn("类别", "kind", required=True, note="民警、辅警、学校保卫干部、专职保安员、教职员工、群防群治力量", example="专职保安员"),
        ImportColumn("单位", "unit", note="所属派出所或大队名称；学校人员可留空，取学校所在派出所", example=""),
        ImportColumn("学校", "school", note="学校保卫干部、专职保安员、教职员工必填", example="圣莲岛小学"),
        ImportColumn("电话", "phone", example="13800000000"),
        ImportColumn("警号", "badge_no", note="民警、辅警必填，不可重复", example=""),
        ImportColumn("证书编号", "certificate_no", note="专职保安员必填", example="SC2026000123"),
        ImportColumn("入职日期", "hire_date", note="专职保安员必填，格式 2026-09-01", example="2026-09-01"),
        ImportColumn("在岗", "active", note="是/否，留空为“是”；清退人员填“否”并填写清退原因和日期", example="是", default="是"),
        ImportColumn("清退原因", "dismissed_reason", example=""),
        ImportColumn("清退日期", "dismissed_on", example=""),
    ]
