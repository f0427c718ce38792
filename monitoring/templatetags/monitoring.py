from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.numbers import percent

register = template.Library()

PERCENT_KEYS = frozenset({"completion", "participation", "pass_rate", "target"})


@register.filter
def cell(row: dict, key: str):
    return row.get(key)


@register.filter
def percent_or_number(value, key: str) -> str:
    if value is None:
        return "–"
    if key in PERCENT_KEYS:
        return percent(value)
    return str(value)


BADGES = {"serious": "danger", "slow": "warning"}  # any other standing: success (as monitoring/_standing.html)
PLAIN_KEYS = frozenset({"bureau", "kind"})


@register.filter
def table_rows(figure) -> list[SafeString]:
    """The HTML of each row of `figure` (monitoring/_figure_table.html): made here rather than chosen cell by cell
    in the template, where a drill-down page's thousand cells cost ~20 ms and the bureaus' table (340 rows) ~10 ms
    more in the loop's tags; text escaped as Django's escape() does (html.escape, quotes too), without its
    lazy-string wrapper per call."""
    keys = [key for key, _label in figure.columns[1:]]
    return [
        mark_safe(f"<tr>\n    <td>{_label_cell(row)}</td>{''.join(_cell(row, key) for key in keys)}\n  </tr>")  # noqa: S308
        for row in figure.rows
    ]


def _label_cell(row: dict) -> str:
    label = escape(str(row["label"]))
    if row.get("drill"):
        return f'<a href="{escape(row["drill"])}" data-testid="drill">{label}</a>'
    return label


def _cell(row: dict, key: str) -> str:
    if key == "standing":
        colour = BADGES.get(row["standing_code"], "success")
        return f'<td><span class="badge text-bg-{colour}" data-testid="standing">{escape(str(row[key]))}</span></td>'
    if key in PLAIN_KEYS:
        return f"<td>{escape(str(row.get(key)))}</td>"
    return f'<td class="text-end">{escape(percent_or_number(row.get(key), key))}</td>'
