"""The audit log as an Excel workbook: one small class over one query (every cell of user text is text)."""

from __future__ import annotations

import json

from django.db.models import QuerySet
from django.utils import timezone

from core.excel import SafeWorkbook

# Excel's last row, minus the header: a larger export is cut there (and says so in the last row).
MAX_ROWS = 1_048_575


class AuditExcelExporter:
    headers = ["时间", "操作人", "角色", "来源IP", "操作", "对象类型", "对象ID", "对象", "修改前", "修改后", "原因"]
    fields = (
        "at",
        "actor_name",
        "actor_role",
        "ip",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "before",
        "after",
        "reason",
    )

    def __init__(self, events: QuerySet):
        self.events = events.order_by("at", "id")

    def write(self, target) -> int:
        """Write the workbook to `target` (a path or a binary file); returns the number of events written."""
        book = SafeWorkbook(target, constant_memory=True)
        sheet = book.add_sheet("审计日志")
        bold = book.fmt(bold=True)
        when = book.fmt(num_format="yyyy-mm-dd hh:mm:ss")
        for col, header in enumerate(self.headers):
            book.text(sheet, 0, col, header, bold)
        sheet.set_column(0, 0, 19)
        sheet.set_column(7, 10, 40)
        count = 0
        for count, row in enumerate(self.events.values_list(*self.fields).iterator(chunk_size=2000), start=1):
            if count > MAX_ROWS - 1:
                book.text(sheet, count, 0, "… (truncated)")
                count -= 1
                break
            at, *texts = row
            book.date(sheet, count, 0, timezone.localtime(at), when)
            for col, value in enumerate(texts, start=1):
                if isinstance(value, (dict, list)):
                    value = json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
                book.text(sheet, count, col, value)
        book.close()
        return count
