"""The work briefing's default text: the district's own report (工作总结) with every figure of
DESIGN.md's `stats/summary/` table replaced by its placeholder, the general prose kept and
its particular examples left out (the closing examples come from the incident log).

HQ edits this per period (reports.models.Briefing); a period nobody has edited reads it.
The text is a Chinese official document's, whatever the language of the screens around it,
so it is written here in Chinese and not translated. One paragraph a line; a section's
"一是…二是…三是…" each start a paragraph."""

from __future__ import annotations

# The briefing's four parts, in the report's order: (key, numeral).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("deployment", "一"),  # 组织部署
    ("duty", "二"),  # 勤务
    ("prevention", "三"),  # 防范、隐患整治
    ("outreach", "四"),  # 宣传、培训、服务
)

DEFAULT_TITLE = "{unit}高峰护学勤务工作总结"

DEFAULT_OPENING = (
    "按照全市公安机关统一部署，{unit}将高峰“护学”勤务作为践行“我为群众办实事”的重要举措，"
    "全力助推“护校安园”工作落地见效，进一步筑牢校园安全屏障。截至{end}，全区共设立“护学岗”{posts}处，"
    "累计出动护学执勤警力{person_times}人次，现场处置师生、家长求助、报警{help_and_alarms}人次，"
    "现场提供帮助帮扶{help_given}次，盘查各类可疑人员{suspicious_checked}人，"
    "妥善处置各类突发性案事件{emergencies_handled}起。"
)

DEFAULT_HEADINGS = {
    "deployment": "高标部署，强化组织，压实责任“求实效”",
    "duty": "因地制宜，统筹推进，织密防护“安全网”",
    "prevention": "打防并举，系统整治，拧紧防范“安全阀”",
    "outreach": "强化宣传，健全机制，撑起守护“平安伞”",
}

DEFAULT_TEXTS = {
    "deployment": "\n".join((
        "一是夯实组织领导。市局召开全市高峰护学勤务工作部署会后，分局赓即召开了全区高峰护学勤务工作部署推进会，"
        "研究制定《实行中小学幼儿园高峰护学勤务工作方案》，成立局长任组长，政委、常务副局长任常务副组长，"
        "其余局领导任副组长，各职能部门主要负责人为成员的安保领导小组，确保高峰护学勤务工作有序有效开展。",
        "二是强化警力部署。分局多次召开专题会议，统筹安排分局机关实战大队及派出所警力，"
        "对全区护学勤务执勤点进行了优化调整，以派出所为主，机关警力全员参与，共设立护学岗{posts}处，"
        "实现全区中小学幼儿园护学工作全覆盖。",
        "三是逗硬督导检查。严格按照“四不两直”要求跟踪问效，严格检查警力执勤状态，要求部门负责人带头做表率，"
        "确保规范文明执勤，展现公安队伍良好形象。督察部门综合运用现场督导、视频巡查、电台点调等多种方式开展督察，"
        "累计下发《督察通报》{bulletins}期，有效确保了高峰护学各项工作落地落实。",
    )),
    "duty": "\n".join((
        "一是科学规划护学。针对各学校上学、放学时间不同的情况，与学校进行沟通，确定每个护学岗上午和下午时间段的护学时间，"
        "全力满足学校个性化需求，实现在上下学时间民警护学的全覆盖。工作中严格按照“上岗时间跟着学校时间走，"
        "上岗人数跟着实际情况变”的原则，让“护学岗”真正成为师生家长的报警点、服务站、安全港，提升校园师生的安全感。",
        "二是规范站岗执勤。研究制定护学工作规范，明确要求执勤民警必须按规定佩戴单警装备、便帽、肩闪、手持机、"
        "执法记录仪等执勤装备，执勤时必须准时到岗，严禁无故缺岗脱岗和提前撤岗。执勤期间，必须充分发挥主观能动性，"
        "对可疑人员严格盘查，对涉校涉园突发案事件第一时间发现处置。",
        "三是优化人员配备。明确高峰护学力量为“1名民警、1名辅警、1名学校保卫干部、2名专职保安员、2名教职员工、"
        "4名群防群治力量”，构建公安、学校、家庭、社会“四位一体”的高峰护学联动机制。同时，联合教体局，"
        "及时清退不能胜任校园安保工作的人员，通过市场化运作方式，统一招聘符合条件的校园安保工作人员，"
        "累计新增专职保安员{guards_hired}名。",
    )),
    "prevention": "\n".join((
        "一是强化校园内部隐患排查。充分利用高峰护学勤务值守契机，组织警力深入校园排查整改中小学幼儿园在治安、消防、"
        "交通、食品、危化品等方面存在的治安隐患，检查校园门卫值班、出入人员管理、保安人员和安防装备配备、"
        "一键报警设备安装、大门防冲撞设施设置、重点部位技防监控覆盖等情况，督促校方严格落实安全防范措施。"
        "行动以来，共检查学校{inspections}所次，发现安全隐患{hazards_found}处，下发整改通知书{notices}份，"
        "新增设交通标志{improvements.traffic_sign}面、监控设施{improvements.cctv}处、"
        "施划标线{improvements.road_marking}平米、硬质防冲撞设施{improvements.anti_ram}套、"
        "一键式紧急报警装置{improvements.alarm_button}个。",
        "二是严格校园周边重点人员管控。全面加强对校园周边易肇事肇祸、有潜在暴力倾向的重性精神障碍患者、"
        "重点上访人员、吸毒人员、心理失衡对社会不满、曾因涉校违法犯罪活动被打击处理等各类重点人员的滚动排查，"
        "并逐一登记建档，会同卫生、民政等部门以及社区、家庭，做好重点人员的管控工作，严防滋事肇祸。目前，"
        "共化解涉校矛盾纠纷{disputes_resolved}起，排查各类校园周边重点人员{key_persons}人，"
        "稳控在位{key_persons_stable}人。",
        "三是加强校园周边秩序联合整治。会同教体、食品卫生、市场监管、城市管理等部门，对校园周边摊贩进行联合清理整顿，"
        "依法取缔无证经营的小商小贩，从严查处校园附近的黑网吧、游戏厅，有效净化校园周边治安环境。行动以来，"
        "开展联合整治行动{joint_operations}次，出动警力{joint_police}人次，"
        "检查网吧、宾馆等校园周边场所{joint_venues}家次，发现并整改安全隐患{joint_hazards_fixed}处。",
    )),
    "outreach": "\n".join((
        "一是丰富宣传形式。以电信诈骗、禁毒识毒、扫黑除恶、反恐防暴等为主题，采取专题讲座、图片展览、观看影片等多种形式，"
        "对辖区校园分批次开展宣传教育，有效提高广大师生知法、懂法、守法意识。期间，进校宣传{talks}场次，"
        "警营开放{open_days}场次，发放各类安全防范宣传资料{leaflets}份，受教育师生{people_reached}人次。",
        "二是加强培训演练。先后组织{police_training_batches}批次{police_trained}名警力开展专题培训，"
        "深入校园开展安保培训{security_trainings}场次，培训安保人员{security_trained}人，"
        "通过讲解示范警械装备使用规范，模拟演练突发事件应急处置，不断提高民辅警和校园安保人员应急处置水平。"
        "指导学校制定突发事件应急处置预案，严格落实“135”快速反应机制，开展校园安全消防和反恐实战演练{drills}次，"
        "“135”快反力量应急拉动{rapid_response_pulls}次，切实提升了校园安全防范能力。",
        "三是强化为民服务。结合“我为群众办实事”活动，将高峰护学勤务工作作为服务广大师生和人民群众的重要纽带，"
        "全体执勤人员风雨无阻，早上班、晚下班，提前到岗，必要时全程护送，广受群众好评。",
    )),
}


def default_narrative() -> dict[str, str]:
    """The narrative's fields (reports.models.NARRATIVE_FIELDS) as the source report has them."""
    fields = {"title": DEFAULT_TITLE, "opening": DEFAULT_OPENING}
    for key, _numeral in SECTIONS:
        fields[f"{key}_heading"] = DEFAULT_HEADINGS[key]
        fields[key] = DEFAULT_TEXTS[key]
    return fields
