"""The default checklist (校园安全检查表): public order, fire, traffic, food, hazardous
chemicals and the security basics of DOMAIN.md, each item citing what it checks. Created by
the migration that brought it (0003) and again after a flush (tests) when no checklist is left:
`create_default_checklist` adds nothing while any checklist exists, so an administrator's own
versions are never touched."""

NAME = "校园安全检查表"

# GB/T 29315-2022《中小学、幼儿园安全防范要求》 is cited by the part of the standard the item
# checks (人力防范要求, 实体防范要求, 电子防范要求, 重点部位和区域): the clause numbers could not
# be checked against the standard's text here, so none is given. Items outside that standard
# (fire, traffic, food, hazardous chemicals) cite the law they follow.
STANDARD = "GB/T 29315-2022"
ITEMS = [
    # (section, category, text, clause, usual severity)
    ("治安", "public_order", "校园周边无聚集滋事、寻衅滋事等治安问题，无影响学生安全的摊点", f"{STANDARD} 重点部位和区域（学校周边）", "medium"),
    ("治安", "public_order", "学生上下学时段校门口有安保人员护卫", f"{STANDARD} 人力防范要求", "high"),
    ("消防", "fire", "消防器材配备齐全、完好有效，在检验有效期内", "《中华人民共和国消防法》", "high"),
    ("消防", "fire", "疏散通道、安全出口畅通，应急照明和疏散指示标志完好", "《中华人民共和国消防法》", "high"),
    ("交通", "traffic", "校门口交通标志、标线清晰完好，设有减速慢行、禁止停车等标志", "《中华人民共和国道路交通安全法》", "medium"),
    ("交通", "traffic", "接送车辆停放有序，上下学时段有交通疏导", "《中华人民共和国道路交通安全法》", "low"),
    ("食品", "food", "食堂持有效食品经营许可证，从业人员持健康证明上岗", "《中华人民共和国食品安全法》", "high"),
    ("食品", "food", "食品原料进货查验、索证索票和留样记录齐全", "《中华人民共和国食品安全法》", "medium"),
    ("危化品", "chemicals", "实验室危险化学品专柜存放、双人双锁管理，台账清楚", "《危险化学品安全管理条例》", "high"),
    ("门卫值班", "security", "门卫室（传达室）24小时有人值守", f"{STANDARD} 人力防范要求", "high"),
    ("出入人员管理", "security", "外来人员、车辆经登记核验后方可进入校园", f"{STANDARD} 人力防范要求", "medium"),
    ("保安人员和安防装备", "security", "保安员按学生人数配备、持证上岗，配备必要的防护器械", f"{STANDARD} 人力防范要求", "high"),
    ("保安人员和安防装备", "security", "安全保卫人员对校内重点部位和区域每日巡查不少于5次", f"{STANDARD} 人力防范要求", "medium"),
    ("一键报警", "security", "门卫室设一键式紧急报警装置，与公安机关联网且测试正常", f"{STANDARD} 电子防范要求", "high"),
    ("大门防冲撞设施", "security", "学校大门外设拒马、隔离墩、升降柱等硬质防冲撞设施，上下学时段启用", f"{STANDARD} 实体防范要求", "high"),
    ("重点部位技防监控覆盖", "security", "校门、周界、食堂等重点部位视频监控覆盖，图像清晰、存储完整", f"{STANDARD} 电子防范要求", "medium"),
]



def create_default_checklist(Template, Item) -> None:
    """Create the default checklist with the given models (a migration's historical ones, or
    the app's) unless some checklist exists."""
    if Template.objects.exists():
        return
    template = Template.objects.create(name=NAME, version=1, active=True,
                                       note="默认检查表：治安、消防、交通、食品、危化品及安防基础")
    Item.objects.bulk_create([
        Item(template=template, order=n, section=section, category=category, text=text, clause=clause,
             severity=severity)
        for n, (section, category, text, clause, severity) in enumerate(ITEMS, start=1)
    ])
