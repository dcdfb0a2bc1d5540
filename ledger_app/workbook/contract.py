"""The workbook contract's names (docs/台账格式.md §1), spelled once.

The sheet names and column headers are exact Chinese strings fixed by the contract. The
importer (``services.importer``) reads by them and the exporter (``workbook.writer``)
writes them; both take them from here. Plain constants only (no openpyxl): the writer
adds its own presentation (序号, style kinds, widths) around these columns.

Per contract sheet: ``COLUMNS[sheet]`` are its columns in contract order (those an import
reads), ``REQUIRED[sheet]`` the ones an import cannot do without, and ``COMPUTED[sheet]``
the columns the contract marks † — written by the export, ignored on import.
"""

from __future__ import annotations

from ..domain.models import ATTEND_ABSENT, ATTEND_LEAVE, ATTEND_PRESENT

# --- sheets -------------------------------------------------------------------------------

BRANCH = "支部信息"
ROSTER = "党员名册"
MEETINGS = "三会一课"
THEME = "主题党日"
OTHER = "其他组织生活"
DUES = "党费"
VOLUNTEER = "志愿服务"
SHEETS = (BRANCH, ROSTER, MEETINGS, THEME, OTHER, DUES, VOLUNTEER)  # in workbook order

# --- columns shared by several sheets -----------------------------------------------------

# the name lists of a record, each with the attendance status its names get
ATTENDANCE_COLUMNS = (
    ("出席人员", ATTEND_PRESENT),
    ("请假人员", ATTEND_LEAVE),
    ("缺席人员", ATTEND_ABSENT),
)
ATTENDANCE = tuple(column for column, _ in ATTENDANCE_COLUMNS)
MONTH_COLUMNS = tuple(f"{m}月" for m in range(1, 13))  # 党费: 1月 … 12月

# --- each sheet's columns, in contract order ----------------------------------------------

BRANCH_COLUMNS = ("项目", "内容")  # rows: domain.models.BRANCH_INFO_KEYS
ROSTER_COLUMNS = (
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "公民身份号码",
    "学历",
    "党员类别",
    "入党日期",
    "转正日期",
    "人员类别",
    "党小组",
    "党内职务",
    "联系电话",
    "状态",
    "状态变更日期",
    "转入日期",
    "党员领导干部",  # （新增）issue 18: 是 / blank
)
TIME = "时间"  # （新增）: "19:30" or "19:30-21:00"; optional, after 日期
MEETING_COLUMNS = (
    ("日期", TIME, "会议类型", "党小组", "议题", "地点", "主持人", "记录人", "授课人")
    + ATTENDANCE
    + ("结合主题党日", "主要内容", "决议事项")
    + ("列席人员", "表决情况")  # （新增）issue 18
)
THEME_COLUMNS = ("日期", TIME, "主题", "活动形式", "地点", "组织人") + ATTENDANCE + ("活动内容",)
OTHER_COLUMNS = (
    ("日期", TIME, "类型", "主题", "地点", "主持人", "记录人")
    + ATTENDANCE
    + ("主要内容", "列席人员")  # 列席人员: （新增）issue 18
)
DUES_COLUMNS = (
    ("年度", "姓名", "公民身份号码", "月缴费基数(元)", "约定月缴(元)") + MONTH_COLUMNS + ("备注",)
)
VOLUNTEER_COLUMNS = ("日期", "姓名", "服务项目", "地点", "时长(小时)", "证明人", "备注")

# the computed (†) columns
MEETING_COMPUTED = ("应到人数", "实到人数")
DUES_COMPUTED = ("人员类别", "缴纳比例", "月应缴(元)", "应缴合计", "实缴合计", "欠缴月数")

COLUMNS: dict[str, tuple[str, ...]] = {
    BRANCH: BRANCH_COLUMNS,
    ROSTER: ROSTER_COLUMNS,
    MEETINGS: MEETING_COLUMNS,
    THEME: THEME_COLUMNS,
    OTHER: OTHER_COLUMNS,
    DUES: DUES_COLUMNS,
    VOLUNTEER: VOLUNTEER_COLUMNS,
}
REQUIRED: dict[str, tuple[str, ...]] = {
    BRANCH: ("项目", "内容"),
    ROSTER: ("姓名", "党员类别", "入党日期", "人员类别"),
    MEETINGS: ("日期", "会议类型"),
    THEME: ("日期", "主题"),
    OTHER: ("日期", "类型"),
    DUES: ("年度", "姓名"),
    VOLUNTEER: ("日期", "姓名", "时长(小时)"),
}
COMPUTED: dict[str, tuple[str, ...]] = {MEETINGS: MEETING_COMPUTED, DUES: DUES_COMPUTED}
# columns added to the format after it was first fixed (docs/台账格式.md marks them
# “（新增）”): optional on import, so that workbooks written before them still import
ADDED: dict[str, tuple[str, ...]] = {
    ROSTER: ("党员领导干部",),  # issue 18
    MEETINGS: (TIME, "列席人员", "表决情况"),  # 列席人员, 表决情况: issue 18
    THEME: (TIME,),
    OTHER: (TIME, "列席人员"),
}


def _check() -> None:
    """The tables above agree with each other (raised at import, so they cannot drift)."""
    if (
        set(COLUMNS) != set(SHEETS)
        or set(REQUIRED) != set(SHEETS)
        or not set(COMPUTED) <= set(SHEETS)
        or not set(ADDED) <= set(SHEETS)
    ):
        raise RuntimeError(
            "workbook.contract: COLUMNS, REQUIRED, COMPUTED and ADDED must be per sheet"
        )
    for sheet in SHEETS:
        columns = COLUMNS[sheet]
        computed = COMPUTED.get(sheet, ())
        problems = [
            *(f"column {c} twice" for c in columns if columns.count(c) > 1),
            *(f"required {c} is not a column" for c in REQUIRED[sheet] if c not in columns),
            *(f"computed {c} is also an imported column" for c in computed if c in columns),
            *(f"added {c} is not a column" for c in ADDED.get(sheet, ()) if c not in columns),
            *(
                f"added {c} cannot be required"
                for c in ADDED.get(sheet, ())
                if c in REQUIRED[sheet]
            ),
        ]
        if problems:
            raise RuntimeError(f"workbook.contract: {sheet}: {'; '.join(problems)}")


_check()
