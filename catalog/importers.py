"""Importing certificates: CSV/XLSX shaped like certificates_sample.csv, or the national platform's JSON.

Certificates are upserted by name, awarding bodies by name; levels are only ever added (a
level that plans may refer to is never removed by an import). A cell left empty means "not
stated" and never erases what is stored. The minimum headcount is not imported: it stays
empty, so the province's default (ProvinceSettings.default_min_headcount) applies. All rows
are checked first; with any error nothing is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import record
from catalog.enums import Level
from catalog.models import AwardingBody, Certificate, CertificateLevel
from core.importreport import max_length
from core.tabular import JSON, ImportReport, TabularError, file_format, read_json, read_table
from core.text import normalise

CERTIFICATE_COLUMNS = ("batch", "name", "organization", "levels_seen")
LEVEL_SEPARATORS = re.compile(r"[、,，/;；\s]+")
BATCHES = {"1": 1, "2": 2, "3": 3, "4": 4, "第一批": 1, "第二批": 2, "第三批": 3, "第四批": 4}
UNKNOWN_BATCH = {"", "unknown", "未知", "不详"}
# DOMAIN.md: a certificate whose levels are not stated is taken to offer all three (decided).
ALL_LEVELS = (Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR)
PLATFORM_SOURCE = "national platform certificate query (vslc.ncb.edu.cn)"


@dataclass
class _Cert:
    """One certificate as the file describes it; `levels` maps a level to its platform id ('' = unknown)."""

    number: int
    name: str
    batch: int | None = None
    body: str = ""
    source: str = ""
    levels: dict[str, str] = field(default_factory=dict)
    unit: str = "row"


def import_certificates(source, *, actor: User | None = None, name: str | None = None) -> ImportReport:
    """Upsert certificates from CSV, XLSX or JSON (chosen by the file name, checked against the content).

    Side effects: AwardingBody, Certificate and CertificateLevel rows in one transaction, one
    audit event per created or changed object; nothing at all when any row has an error.
    """
    report = ImportReport()
    try:
        if file_format(source, name=name) == JSON:
            certs = _json_certs(read_json(source, name=name), report)
        else:
            certs = _table_certs(read_table(source, required=CERTIFICATE_COLUMNS, name=name), report)
    except TabularError as exc:
        report.error(exc.row, exc.message)
        return report
    if report.errors:
        report.discard_counts()
        return report
    try:
        with transaction.atomic():
            _Writer(report, actor=actor).write(certs)
    except IntegrityError as exc:
        report.discard_counts()
        report.error(None, _("The database refused the import, nothing was imported: %(error)s") % {"error": exc})
    return report


# ---------------------------------------------------------------- CSV / XLSX


def parse_batch(text: str) -> tuple[int | None, bool]:
    """(batch, valid): 'unknown' and empty are None."""
    if text.lower() in UNKNOWN_BATCH:
        return None, True
    batch = BATCHES.get(text)
    return batch, batch is not None


def parse_levels(text: str) -> tuple[list[str], list[str]]:
    """(levels, unknown words) named in a levels_seen cell such as '初级、中级'."""
    words = [w for w in LEVEL_SEPARATORS.split(text) if w]
    levels = [Level.from_chinese(w) for w in words]
    return [lv for lv in levels if lv], [w for w, lv in zip(words, levels, strict=True) if lv is None]


def _table_certs(table, report: ImportReport) -> list[_Cert]:
    certs: list[_Cert] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        errors_before = len(report.errors)
        for problem in row.problems:
            report.error(row.number, problem)
        cert = _Cert(number=row.number, name=row["name"], body=row["organization"], source=row["source"])
        _check_lengths(cert, report)
        if cert.name in seen:
            report.error(
                row.number, _("%(name)s is already on row %(row)s") % {"name": cert.name, "row": seen[cert.name]}
            )
        cert.batch, valid = parse_batch(row["batch"])
        if not valid:
            report.error(row.number, _("batch %(batch)r is not 1–4 or unknown") % {"batch": row["batch"]})
        cert.levels = _levels_of(row, report)
        if len(report.errors) == errors_before:
            seen[cert.name] = row.number
            certs.append(cert)
    return certs


def _levels_of(row, report: ImportReport) -> dict[str, str]:
    text = row["levels_seen"]
    levels, unknown = parse_levels(text)
    if not text:
        report.count("levels_not_stated")
        return dict.fromkeys(ALL_LEVELS, "")
    if not levels:
        # The real certificates_sample.csv has rows whose organization held an unquoted comma,
        # pushing prose into this column: treat it as "not stated", but say so.
        report.warn(
            row.number,
            _("levels_seen %(text)r names no level (初级/中级/高级); taken as not stated: all three levels")
            % {"text": text},
        )
        report.count("levels_not_stated")
        return dict.fromkeys(ALL_LEVELS, "")
    if unknown:
        report.error(
            row.number,
            _("levels_seen names unknown level(s) %(words)s (expected 初级, 中级 or 高级)")
            % {"words": "、".join(unknown)},
        )
    return dict.fromkeys(levels, "")


def _check_lengths(cert: _Cert, report: ImportReport) -> None:
    fields = {"name": cert.name, "organization": cert.body, "source": cert.source}
    limits = {
        "name": max_length(Certificate, "name"),
        "organization": max_length(AwardingBody, "name"),
        "source": max_length(Certificate, "source"),
    }
    if not cert.name:
        report.error(cert.number, _("the name is empty"), cert.unit)
    for column, value in fields.items():
        if len(value) > limits[column]:
            report.error(cert.number, _("the %(column)s is too long") % {"column": column}, cert.unit)


# ---------------------------------------------------------------- JSON


def _json_certs(data, report: ImportReport) -> list[_Cert]:
    """One certificate per name from a list of platform objects, one object per level."""
    if not isinstance(data, list):
        report.error(None, _("The JSON file must hold a list of objects (one per certificate level)."))
        return []
    certs: dict[str, _Cert] = {}
    ids_seen: dict[str, int] = {}
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            report.error(index, _("not an object"), "item")
            continue
        _json_item(index, item, certs, ids_seen, report)
    return list(certs.values())


def _json_item(index: int, item: dict, certs: dict[str, _Cert], ids_seen: dict[str, int], report) -> None:
    errors_before = len(report.errors)
    platform_id = _text(item.get("certificateId"))
    cert_name = _text(item.get("certificateName"))
    body = _text(item.get("xzhOrgName"))
    grade = item.get("certificateGrade")
    level = Level.from_grade(grade) if grade is not None else None
    probe = _Cert(number=index, name=cert_name, body=body, unit="item")
    _check_lengths(probe, report)
    if not platform_id:
        report.error(index, _("certificateId is empty"), "item")
    elif len(platform_id) > max_length(CertificateLevel, "platform_id"):
        report.error(index, _("certificateId is too long"), "item")
    elif platform_id in ids_seen:
        report.error(
            index,
            _("certificateId %(id)s is already on item %(other)s")
            % {"id": platform_id, "other": ids_seen[platform_id]},
            "item",
        )
    if level is None:
        report.error(index, _("certificateGrade %(grade)r is not 1, 2 or 3") % {"grade": grade}, "item")
    cert = certs.get(cert_name)
    if cert is not None and level in cert.levels:
        report.error(index, _("%(name)s %(level)s appears twice") % {"name": cert_name, "level": level.chinese}, "item")
    if cert is not None and body and cert.body and body != cert.body:
        report.error(
            index,
            _("xzhOrgName %(body)s differs from item %(other)s (%(first)s)")
            % {"body": body, "other": cert.number, "first": cert.body},
            "item",
        )
    if len(report.errors) > errors_before or level is None:  # a missing level was reported above
        return
    ids_seen[platform_id] = index
    if cert is None:
        cert = certs[cert_name] = _Cert(number=index, name=cert_name, body=body, source=PLATFORM_SOURCE, unit="item")
    cert.body = cert.body or body
    cert.levels[level] = platform_id


def _text(value) -> str:
    return "" if value is None else normalise(str(value))


# ---------------------------------------------------------------- writing


class _Writer:
    """Writes checked certificates; reports clashes it can only see against the database."""

    def __init__(self, report: ImportReport, *, actor):
        self.report = report
        self.actor = actor
        self.bodies = {b.name: b for b in AwardingBody.objects.all()}
        self.certs = {c.name: c for c in Certificate.objects.select_related("awarding_body")}
        self.levels: dict[int, dict[str, CertificateLevel]] = {}
        self.platform_ids: dict[str, CertificateLevel] = {}
        for level in CertificateLevel.objects.all():
            self.levels.setdefault(level.certificate_id, {})[level.level] = level
            if level.platform_id:
                self.platform_ids[level.platform_id] = level

    def write(self, certs: list[_Cert]) -> None:
        for cert in certs:
            self._check_platform_ids(cert)
        if self.report.errors:
            self.report.discard_counts()
            return
        for cert in certs:
            self._write_one(cert)

    def _check_platform_ids(self, cert: _Cert) -> None:
        stored = self.certs.get(cert.name)
        for level, platform_id in cert.levels.items():
            owner = self.platform_ids.get(platform_id) if platform_id else None
            if owner is not None and (stored is None or owner.certificate_id != stored.pk or owner.level != level):
                self.report.error(
                    cert.number,
                    _("certificateId %(id)s already belongs to %(other)s") % {"id": platform_id, "other": owner},
                    cert.unit,
                )

    def _body(self, name: str) -> AwardingBody | None:
        if not name:
            return None
        body = self.bodies.get(name)
        if body is None:
            body = self.bodies[name] = AwardingBody.objects.create(name=name)
            record(actor=self.actor, action="awarding_body.import", obj=body, after={"name": name})
            self.report.count("awarding_bodies_created")
        return body

    def _write_one(self, cert: _Cert) -> None:
        body = self._body(cert.body)
        stored = self.certs.get(cert.name)
        if stored is None:
            stored = Certificate.objects.create(
                name=cert.name, batch=cert.batch, awarding_body=body, source=cert.source
            )
            self.certs[cert.name] = stored
            self.levels[stored.pk] = {}
            self._add_levels(stored, cert.levels)
            record(actor=self.actor, action="certificate.import", obj=stored, after=_state(stored, cert.levels))
            self.report.created += 1
            return
        before = _state(stored, {lv: lv_obj.platform_id for lv, lv_obj in self.levels[stored.pk].items()})
        changed = self._update_fields(stored, cert, body)
        changed |= self._add_levels(stored, cert.levels)
        if not changed:
            self.report.unchanged += 1
            return
        after = _state(stored, {lv: lv_obj.platform_id for lv, lv_obj in self.levels[stored.pk].items()})
        record(actor=self.actor, action="certificate.import", obj=stored, before=before, after=after)
        self.report.updated += 1

    def _update_fields(self, stored: Certificate, cert: _Cert, body: AwardingBody | None) -> bool:
        # Empty cells are "not stated": they never erase what is stored.
        wanted: dict[str, object] = {}
        if cert.batch is not None and stored.batch != cert.batch:
            wanted["batch"] = cert.batch
        if body is not None and stored.awarding_body_id != body.pk:
            wanted["awarding_body"] = body
        if cert.source and stored.source != cert.source:
            wanted["source"] = cert.source
        if not wanted:
            return False
        for name, value in wanted.items():
            setattr(stored, name, value)
        stored.save()
        return True

    def _add_levels(self, stored: Certificate, levels: dict[str, str]) -> bool:
        """Add missing levels, fill in platform ids; True when something was written."""
        changed = False
        have = self.levels[stored.pk]
        for level in sorted(levels, key=ALL_LEVELS.index):
            platform_id = levels[level]
            existing = have.get(level)
            if existing is None:
                have[level] = CertificateLevel.objects.create(certificate=stored, level=level, platform_id=platform_id)
                self.report.count("levels_created")
                changed = True
            elif platform_id and existing.platform_id != platform_id:
                existing.platform_id = platform_id
                existing.save(update_fields=["platform_id"])
                changed = True
        return changed


def _state(cert: Certificate, levels: dict[str, str]) -> dict:
    return {
        "name": cert.name,
        "batch": cert.batch,
        "awarding_body": cert.awarding_body.name if cert.awarding_body else "",
        "source": cert.source,
        "levels": {str(lv): levels[lv] for lv in sorted(levels, key=ALL_LEVELS.index)},
    }
