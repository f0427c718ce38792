"""Importing bureaus (the cities) and institutions from CSV/XLSX: validate every row, then write all or nothing.

Institutions are upserted by ministry code (by name when a row has none). The kind (本科 →
applied undergraduate, 专科 → higher vocational) is set only when an institution is created:
the national list does not know an institution's role in the pilot, and a provincial admin
who corrected a kind by hand must not see the next import undo it. A row whose kind differs
from the stored one gives a warning instead, so a real change (专科 upgraded to 本科) is seen
and corrected by hand. Every write is audited; re-importing the same file writes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import record, snapshot
from core.importreport import max_length
from core.tabular import ImportReport, TabularError, read_table
from institutions.enums import BureauKind, InstitutionKind
from institutions.models import Bureau, Institution

INSTITUTION_COLUMNS = ("name", "city", "level", "moe_code")
KIND_BY_LEVEL = {"本科": InstitutionKind.APPLIED_UNDERGRAD, "专科": InstitutionKind.HIGHER_VOCATIONAL}
MINISTRY_CODE = re.compile(r"\d{10}")
# Fields an import owns; the kind is owned by the import only on creation (see the module docstring).
IMPORTED_FIELDS = ["name", "bureau_id", "ministry_code", "authority", "remarks"]
AUDITED_FIELDS = ["name", "kind", "bureau_id", "ministry_code", "authority", "remarks"]


def _failed(report: ImportReport, exc: TabularError) -> ImportReport:
    report.error(exc.row, exc.message)
    return report


# ---------------------------------------------------------------- bureaus


def import_bureaus(source, *, actor=None, name: str | None = None) -> ImportReport:
    """Upsert city bureaus by name from a file with a `city` column. Side effects: Bureau rows, audit events."""
    report = ImportReport()
    try:
        table = read_table(source, required=("city",), name=name)
    except TabularError as exc:
        return _failed(report, exc)
    seen: dict[str, int] = {}
    names = []
    for row in table.rows:
        for problem in row.problems:
            report.error(row.number, problem)
        city = row["city"]
        if not city:
            report.error(row.number, _("the city is empty"))
        elif len(city) > max_length(Bureau, "name"):
            report.error(row.number, _("the city name is too long"))
        elif city in seen:
            report.error(row.number, _("%(city)s is already on row %(row)s") % {"city": city, "row": seen[city]})
        else:
            seen[city] = row.number
            names.append(city)
    if report.errors:
        return report
    existing = set(Bureau.objects.filter(name__in=names).values_list("name", flat=True))
    with transaction.atomic():
        for city in names:
            if city in existing:
                report.unchanged += 1
                continue
            bureau = Bureau.objects.create(name=city, kind=BureauKind.CITY)
            record(actor=actor, action="bureau.import", obj=bureau, after={"name": city, "kind": bureau.kind})
            report.created += 1
    return report


# ---------------------------------------------------------------- institutions


@dataclass
class _Planned:
    """One valid row and what it will do: create (target None) or update `target`."""

    number: int
    target: Institution | None
    values: dict


def import_institutions(source, *, actor=None, name: str | None = None) -> ImportReport:
    """Upsert institutions from a CSV/XLSX file shaped like anhui_higher_institutions.csv.

    All rows are checked first; with any error nothing is written. Side effects: Institution
    rows created or updated in one transaction, one audit event per created or changed row.
    """
    report = ImportReport()
    try:
        table = read_table(source, required=INSTITUTION_COLUMNS, name=name)
    except TabularError as exc:
        return _failed(report, exc)
    planned = _plan_rows(table.rows, report)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            _write(planned, report, actor=actor)
    except IntegrityError as exc:
        report.discard_counts()
        report.error(None, _("The database refused the import, nothing was imported: %(error)s") % {"error": exc})
    return report


def _institution_index() -> tuple[dict[str, Institution], dict[str, Institution]]:
    """The stored institutions by ministry code and by name."""
    by_code, by_name = {}, {}
    for inst in Institution.objects.all():
        by_name[inst.name] = inst
        if inst.ministry_code:
            by_code[inst.ministry_code] = inst
    return by_code, by_name


def _check_repeats(number: int, values: dict, seen: tuple[dict[str, int], dict[str, int]], report) -> None:
    """A ministry code or a name already on an earlier row of the file is an error; `seen` remembers the first."""
    codes_seen, names_seen = seen
    code, inst_name = values.get("ministry_code"), values.get("name")
    if code and code in codes_seen:
        report.error(
            number, _("ministry code %(code)s is already on row %(row)s") % {"code": code, "row": codes_seen[code]}
        )
    if inst_name and inst_name in names_seen:
        report.error(
            number, _("%(name)s is already on row %(row)s") % {"name": inst_name, "row": names_seen[inst_name]}
        )
    if code:
        codes_seen.setdefault(code, number)
    if inst_name:
        names_seen.setdefault(inst_name, number)


def _plan_rows(rows, report: ImportReport) -> list[_Planned]:
    bureaus = {b.name: b for b in Bureau.objects.all()}
    by_code, by_name = _institution_index()
    seen: tuple[dict[str, int], dict[str, int]] = ({}, {})
    targets_seen: dict[int, int] = {}
    planned = []
    for row in rows:
        errors_before = len(report.errors)
        for problem in row.problems:
            report.error(row.number, problem)
        values = _row_values(row, bureaus, report)
        _check_repeats(row.number, values, seen, report)
        if len(report.errors) > errors_before:
            continue
        target = _match(row.number, values, by_code, by_name, report)
        if target is not None and target.pk in targets_seen:
            report.error(
                row.number,
                _("this row and row %(row)s both describe %(name)s") % {"row": targets_seen[target.pk], "name": target},
            )
        if len(report.errors) == errors_before:
            if target is not None:
                targets_seen[target.pk] = row.number
            planned.append(_Planned(row.number, target, values))
    return planned


def _row_values(row, bureaus: dict[str, Bureau], report: ImportReport) -> dict:
    """The model values of one row; reports what is wrong with it."""
    inst_name, city, level, code = row["name"], row["city"], row["level"], row["moe_code"]
    values = {"authority": row["authority"], "remarks": row["remarks"], "ministry_code": code or None}
    if not inst_name:
        report.error(row.number, _("the name is empty"))
    elif len(inst_name) > max_length(Institution, "name"):
        report.error(row.number, _("the name is too long"))
    else:
        values["name"] = inst_name
    if city not in bureaus:
        report.error(
            row.number,
            _("unknown city %(city)r (known: the bureaus imported from anhui_cities.csv)") % {"city": city}
            if city
            else _("the city is empty"),
        )
    else:
        values["bureau_id"] = bureaus[city].pk
    if level not in KIND_BY_LEVEL:
        report.error(row.number, _("level %(level)r is neither 本科 nor 专科") % {"level": level})
    else:
        values["kind"] = KIND_BY_LEVEL[level]
    if code and not MINISTRY_CODE.fullmatch(code):
        report.error(row.number, _("ministry code %(code)r is not 10 digits") % {"code": code})
    for column in ("authority", "remarks"):
        if len(values[column]) > max_length(Institution, column):
            report.error(row.number, _("the %(column)s is too long") % {"column": column})
    return values


def _match(number: int, values: dict, by_code: dict, by_name: dict, report: ImportReport) -> Institution | None:
    """The institution this row updates (None: a new one); reports clashes with other institutions."""
    code, inst_name = values["ministry_code"], values["name"]
    target = by_code.get(code) if code else None
    named = by_name.get(inst_name)
    if target is None and named is not None:
        if code and named.ministry_code and named.ministry_code != code:
            report.error(
                number,
                _("%(name)s is already registered with ministry code %(other)s, not %(code)s")
                % {"name": inst_name, "other": named.ministry_code, "code": code},
            )
            return None
        target = named
    elif target is not None and named is not None and named.pk != target.pk:
        report.error(
            number,
            _("the name %(name)s belongs to another institution (ministry code %(other)s)")
            % {"name": inst_name, "other": named.ministry_code or "-"},
        )
    return target


def _write(planned: list[_Planned], report: ImportReport, *, actor) -> None:
    for item in planned:
        values = dict(item.values)
        if not values["ministry_code"]:
            del values["ministry_code"]  # a row without a code never erases a stored one
        if item.target is None:
            inst = Institution.objects.create(**values)
            record(actor=actor, action="institution.import", obj=inst, after=snapshot(inst, AUDITED_FIELDS))
            report.created += 1
            continue
        inst = item.target
        if inst.kind != values["kind"]:
            report.warn(
                item.number,
                _("kept the stored kind %(stored)s; the file says %(file)s (correct it by hand if it changed)")
                % {"stored": inst.get_kind_display(), "file": InstitutionKind(values["kind"]).label},
            )
        changed = [f for f in IMPORTED_FIELDS if f in values and getattr(inst, f) != values[f]]
        if not changed:
            report.unchanged += 1
            continue
        before = snapshot(inst, changed)
        for f in changed:
            setattr(inst, f, values[f])
        inst.save(update_fields=changed)
        record(actor=actor, action="institution.import", obj=inst, before=before, after=snapshot(inst, changed))
        report.updated += 1
