"""The plan page's line rows as the page shows them: their HTML written here, the labels translated once a page.

A plan has a few dozen lines. Django's template engine spent about 0.17 ms a row on the row loop (some twenty
variables, filters and `if`s); the same markup formatted in Python from constant strings costs a few per cent of
that. The markup is the template's (plans/_workspace.html), cell for cell and byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.utils.formats import localize
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from plans.pages import LineRow
from plans.violation_markup import violations_html

# The template's row with its whitespace, so that the page is the same byte for byte.
ROW = (
    '\n    <tr data-line="{pk}">\n'
    '      <td>{certificate}<div class="small text-muted">{body}</div></td>\n'
    "      <td>{level}</td>\n"
    "      <td>{major}</td>\n"
    '      <td class="text-end">{headcount}</td>\n'
    "      <td>{continuity}</td>\n"
    '      <td class="text-end">{last_year}</td>\n'
    '      <td class="small">{remark}</td>\n'
    '      <td class="text-nowrap">{buttons}</td>\n'
    "    </tr>\n    {violations}\n    {edit_row}\n  "
)
MAJOR_CODE = ' <small class="text-muted">{}</small>'
APPROVED = '<div class="small text-success">{} {}</div>'
NOT_APPROVED = '<div class="small text-danger" data-testid="not-approved">{}{}</div>'
NEW = '<span class="badge text-bg-info">{}</span>'
CONTINUING = '<span class="badge text-bg-light">{}</span>'
JUSTIFICATION = '<div class="text-muted">{}: {}</div>'
BUTTONS = (
    "\n"
    '        <button class="btn btn-sm btn-outline-secondary" type="button" hx-get="{edit_url}" '
    'hx-target="#edit-{pk}" hx-swap="outerHTML" data-testid="edit-line" aria-label="{edit}">'
    '<i class="bi bi-pencil"></i></button>\n'
    '        <button class="btn btn-sm btn-outline-danger" type="button" hx-post="{delete_url}" '
    'hx-target="#workspace" hx-swap="outerHTML" hx-confirm="{prompt}" aria-label="{delete}">'
    '<i class="bi bi-trash"></i></button>\n'
    "      "
)
VIOLATIONS = (
    '<tr class="violations-row"><td colspan="8" class="pt-0 border-top-0" data-violations-for="{}">{}</td></tr>'
)
# The line's edit form is loaded into this row when asked (plans/_line_edit.html).
EDIT_ROW = '\n    <tr class="d-none" id="edit-{}"></tr>\n    '


@dataclass(frozen=True)
class Labels:
    """The row's words, translated and escaped once a page (they are the same on every row)."""

    new: str
    continuing: str
    approved: str
    not_approved: str
    justification: str
    edit: str
    remove_prompt: str
    delete: str

    @classmethod
    def translated(cls) -> Labels:
        return cls(
            *(
                escape(gettext(text))
                for text in (
                    "new",
                    "continuing",
                    "approved",
                    "not approved",
                    "justification",
                    "edit",
                    "Remove this line?",
                    "delete",
                )
            )
        )


def rows_html(rows: list[LineRow], *, published: bool, editable: bool, user) -> SafeString:
    """The lines' rows, one after the other: with the approved headcounts on a published plan, the edit and
    delete buttons (and the row the edit form is loaded into) where the user may edit; every text escaped with
    html.escape, which is what Django's escape does."""
    labels = Labels.translated()
    return SafeString("".join(row_html(row, labels, published=published, editable=editable, user=user) for row in rows))


def row_html(row: LineRow, labels: Labels, *, published: bool, editable: bool, user) -> str:
    """One line's <tr>, its violations' row if it has any and its edit form's row where the user may edit."""
    line, pk = row.line, row.line.pk
    major = escape(line.major_name) + (MAJOR_CODE.format(escape(line.major_code)) if line.major_code else "")
    justification = JUSTIFICATION.format(labels.justification, escape(line.justification)) if line.justification else ""
    buttons = ""
    if editable:
        buttons = BUTTONS.format(
            edit_url=escape(row.edit_url),
            pk=pk,
            edit=labels.edit,
            delete_url=escape(row.delete_url),
            prompt=labels.remove_prompt,
            delete=labels.delete,
        )
    return ROW.format(
        pk=pk,
        certificate=escape(row.certificate_name),
        body=escape(row.awarding_body),
        level=escape(row.level_label),
        major=major,
        headcount=localize(line.headcount) + (_approval(line, labels) if published else ""),
        continuity=NEW.format(labels.new) if row.is_new else CONTINUING.format(labels.continuing),
        last_year="—" if row.is_new else localize(row.last_year_headcount),
        remark=escape(line.remark) + justification,
        buttons=buttons,
        violations=VIOLATIONS.format(pk, violations_html(row.violations, user=user)) if row.violations else "",
        edit_row=EDIT_ROW.format(pk) if editable else "",
    )


def _approval(line, labels: Labels) -> str:
    """What the province approved of the line once the plan is published: the headcount, or 'not approved' with
    the published decision's reason."""
    if line.approved_headcount is None:
        return ""
    if line.approved_headcount:
        return APPROVED.format(labels.approved, localize(line.approved_headcount))
    decision = line.published_decision
    reason = f"：{escape(decision.reason)}" if decision and decision.reason else ""
    return NOT_APPROVED.format(labels.not_approved, reason)
