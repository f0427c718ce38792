"""Load the demo: real reference data, example schools, rounds, last year's illustrative plans, two earlier years of
illustrative candidates (示例考生, for the forecasts), one account per role.

Idempotent: a second run finds everything in place and writes nothing (not even audit events).
Every figure this command invents (plans, approved headcounts, completion rates) is
illustrative and marked 示例 in the data; the real data are the cities, institutions and
certificates read from settings.SHARED_DATA_DIR.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from audit.services import record
from catalog.enums import Level
from catalog.importers import import_certificates
from catalog.models import Certificate, Major
from core.dates import local_today, start_of
from core.models import ProvinceSettings
from institutions.enums import InstitutionKind
from institutions.importers import import_bureaus, import_institutions
from institutions.models import Bureau, Institution
from monitoring.demo import load_history
from notices.demo import load_contacts, load_notice
from onex.management.commands._base import write_report
from plans.enums import PlanStatus
from plans.models import InstitutionYear, Plan, PlanLine
from rounds.enums import Season, Stage
from rounds.models import Extension, Round
from rounds.services import create_round, grant_extension

DEMO_PASSWORD = "onex-demo-1x"  # noqa: S105 - published in the README on purpose
ILLUSTRATIVE = "示例数据（演示用，非真实数字）"
COLLEGE = "安徽职业技术学院"  # a real higher-vocational institution (合肥市) from the shared list
SCHOOL = "示例合肥市第一职业学校"

# (name, kind, city, national platform account); the last has none, to show R8.
EXAMPLE_SCHOOLS = [
    (SCHOOL, InstitutionKind.SECONDARY_VOCATIONAL, "合肥市", "DEMO-ZZ-0001"),
    ("示例合肥市第二职业学校", InstitutionKind.SECONDARY_VOCATIONAL, "合肥市", "DEMO-ZZ-0002"),
    ("示例芜湖市中等专业学校", InstitutionKind.PROVINCIAL_SECONDARY, "芜湖市", "DEMO-ZZ-0003"),
    ("示例蚌埠市职业教育中心", InstitutionKind.SECONDARY_VOCATIONAL, "蚌埠市", "DEMO-ZZ-0004"),
    ("示例安庆市工业学校", InstitutionKind.PROVINCIAL_SECONDARY, "安庆市", "DEMO-ZZ-0005"),
    ("示例阜阳市职业学校", InstitutionKind.SECONDARY_VOCATIONAL, "阜阳市", ""),
]

# Corresponding majors for a few certificates. Illustrative: real major names of the vocational
# catalogue, but the pairing is the demo's, not the official certificate-major table.
CERTIFICATE_MAJORS = {
    "物流管理职业技能等级证书": ["物流管理", "物流服务与管理"],
    "电子商务数据分析职业技能等级证书": ["电子商务", "市场营销"],
    "网店运营推广职业技能等级证书": ["电子商务"],
    "Web前端开发职业技能等级证书": ["计算机应用技术", "软件技术"],
    "老年照护职业技能等级证书": ["智慧健康养老服务与管理", "护理"],
    "汽车运用与维修职业技能等级证书": ["汽车运用与维修", "汽车检测与维修技术"],
}

# Last year's published plans (illustrative): institution → season → lines
# (certificate, level, major, planned, approved); and the completion rate (%) of that year.
LAST_YEAR_PLANS = {
    SCHOOL: {
        Season.SPRING: [
            ("物流管理职业技能等级证书", Level.JUNIOR, "物流服务与管理", 40, 40),
            ("网店运营推广职业技能等级证书", Level.JUNIOR, "电子商务", 35, 30),
        ],
        Season.AUTUMN: [("老年照护职业技能等级证书", Level.JUNIOR, "护理", 30, 30)],
    },
    COLLEGE: {
        Season.SPRING: [
            ("Web前端开发职业技能等级证书", Level.INTERMEDIATE, "计算机应用技术", 60, 60),
            ("电子商务数据分析职业技能等级证书", Level.INTERMEDIATE, "电子商务", 45, 40),
        ],
        Season.AUTUMN: [("物流管理职业技能等级证书", Level.INTERMEDIATE, "物流管理", 50, 50)],
    },
    "示例芜湖市中等专业学校": {
        Season.SPRING: [("汽车运用与维修职业技能等级证书", Level.JUNIOR, "汽车运用与维修", 40, 35)],
    },
    "示例蚌埠市职业教育中心": {
        Season.AUTUMN: [("物流管理职业技能等级证书", Level.JUNIOR, "物流服务与管理", 32, 30)],
    },
}
# Below 50 % caps next year (R3); the school with the demo accounts is one of them.
COMPLETION_RATES = {
    SCHOOL: Decimal("42.0"),
    COLLEGE: Decimal("78.5"),
    "示例芜湖市中等专业学校": Decimal("55.0"),
    "示例蚌埠市职业教育中心": Decimal("36.5"),
}

# The year before last (illustrative): its candidates, spread over the months, give the forecasts a profile.
EARLIER_RATES = {
    SCHOOL: Decimal("48.0"),
    COLLEGE: Decimal("72.0"),
    "示例芜湖市中等专业学校": Decimal("61.0"),
    "示例蚌埠市职业教育中心": Decimal("44.0"),
}


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    full_name: str
    institution: str = ""
    bureau: str = ""


ACCOUNTS = [
    Account("college_staff", Role.INSTITUTION_STAFF, "示例经办人（高职）", institution=COLLEGE),
    Account("college_head", Role.INSTITUTION_OFFICE_HEAD, "示例试点管理部门负责人（高职）", institution=COLLEGE),
    Account("college_leader", Role.INSTITUTION_LEADER, "示例校级分管领导（高职）", institution=COLLEGE),
    Account("school_staff", Role.INSTITUTION_STAFF, "示例经办人（中职）", institution=SCHOOL),
    Account("school_head", Role.INSTITUTION_OFFICE_HEAD, "示例试点管理部门负责人（中职）", institution=SCHOOL),
    Account("school_leader", Role.INSTITUTION_LEADER, "示例校级分管领导（中职）", institution=SCHOOL),
    Account("bureau_hefei", Role.BUREAU_REVIEWER, "示例合肥市教育局审核人", bureau="合肥市"),
    Account("province_reviewer", Role.PROVINCIAL_REVIEWER, "示例省1+X办公室审核人"),
    Account("province_admin", Role.PROVINCIAL_ADMIN, "示例省1+X办公室管理员"),
    Account("observer", Role.OBSERVER, "示例职成处领导"),
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-file",
            default=str(settings.BASE_DIR / "var" / "demo_accounts.txt"),
            help="where to write the accounts table (default: var/demo_accounts.txt)",
        )

    def handle(self, *args, **options):
        year = local_today(timezone.now()).year
        with transaction.atomic():
            ProvinceSettings.current()
            self._import_reference_data()
            load_example_schools()
            load_rounds(year)
            load_majors()
            load_last_year(year - 1)
            load_history(year, last_year=COMPLETION_RATES, year_before=EARLIER_RATES, remark=ILLUSTRATIVE)
            users = load_accounts()
            load_notice(admin=User.objects.get(username="province_admin"))
            load_contacts()
            open_demo_windows(year, admin=User.objects.get(username="province_admin"))
        table = accounts_table(users)
        path = Path(options["accounts_file"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(table, encoding="utf-8")
        self.stdout.write(table)
        self.stdout.write(self.style.SUCCESS(f"Demo loaded for {year}; accounts written to {path}"))

    def _import_reference_data(self) -> None:
        data = settings.SHARED_DATA_DIR
        steps = [
            (import_bureaus, "anhui_cities.csv", "bureaus"),
            (import_institutions, "anhui_higher_institutions.csv", "institutions"),
            (import_certificates, "certificates_sample.csv", "certificates"),
        ]
        for importer, filename, what in steps:
            path = data / filename
            if not path.is_file():
                raise CommandError(f"{path}: no such file (set ONEX_SHARED_DIR)")
            write_report(self, importer(path), label=f"{what} from {filename}")


def _audit_demo(obj, action: str, after: dict) -> None:
    record(actor=None, action=action, obj=obj, after=after, reason=ILLUSTRATIVE)


def load_example_schools() -> None:
    """Six secondary schools named 示例…, marked is_example; all but one registered on the platform."""
    bureaus = {b.name: b for b in Bureau.objects.all()}
    for name, kind, city, account in EXAMPLE_SCHOOLS:
        if Institution.objects.filter(name=name).exists():
            continue
        school = Institution.objects.create(
            name=name, kind=kind, bureau=bureaus[city], platform_account=account, is_example=True, remarks=ILLUSTRATIVE
        )
        _audit_demo(school, "institution.demo", {"name": name, "kind": kind, "city": city, "account": account})
    college = Institution.objects.get(name=COLLEGE)
    if not college.platform_account:
        # So the demo college can submit (R8); the value says it is not a real registration.
        college.platform_account = "DEMO-GZ-0001"
        college.save(update_fields=["platform_account"])
        _audit_demo(college, "institution.demo", {"platform_account": college.platform_account})


def load_rounds(year: int) -> None:
    """Last year's two rounds, this year's two, and next year's spring, with the notice's dates."""
    wanted = [(year - 1, Season.SPRING), (year - 1, Season.AUTUMN), (year, Season.SPRING), (year, Season.AUTUMN)]
    wanted.append((year + 1, Season.SPRING))
    for y, season in wanted:
        if not Round.objects.filter(year=y, season=season).exists():
            create_round(actor=None, year=y, season=season)


def load_majors() -> None:
    for cert_name, majors in CERTIFICATE_MAJORS.items():
        cert = Certificate.objects.get(name=cert_name)
        have = set(cert.majors.values_list("name", flat=True))
        for major_name in majors:
            if major_name not in have:
                cert.majors.add(Major.objects.get_or_create(name=major_name, code="")[0])
                _audit_demo(cert, "certificate.demo_major", {"major": major_name})


def load_last_year(year: int) -> None:
    """Published plans of `year` (approved headcounts) and completion rates: all illustrative."""
    rounds = {r.season: r for r in Round.objects.filter(year=year)}
    certs = {c.name: c for c in Certificate.objects.all()}
    for inst_name, seasons in LAST_YEAR_PLANS.items():
        institution = Institution.objects.get(name=inst_name)
        for season, lines in seasons.items():
            rnd = rounds[season]
            if Plan.objects.filter(institution=institution, round=rnd).exists():
                continue
            plan = Plan.objects.create(
                institution=institution,
                round=rnd,
                status=PlanStatus.PUBLISHED,
                submitted_at=start_of(rnd.filing_end) + timedelta(hours=10),
                published_at=start_of(rnd.provincial_review_end) + timedelta(hours=16),
            )
            for cert_name, level, major, planned, approved in lines:
                PlanLine.objects.create(
                    plan=plan,
                    certificate=certs[cert_name],
                    level=level,
                    major_name=major,
                    headcount=planned,
                    approved_headcount=approved,
                    remark=ILLUSTRATIVE,
                )
            _audit_demo(plan, "plan.demo", {"status": plan.status, "lines": [list(map(str, line)) for line in lines]})
    for inst_name, rate in COMPLETION_RATES.items():
        institution = Institution.objects.get(name=inst_name)
        inst_year, created = InstitutionYear.objects.get_or_create(
            institution=institution, year=year, defaults={"completion_rate": rate}
        )
        if created:
            _audit_demo(inst_year, "institution_year.demo", {"completion_rate": rate})


def load_accounts() -> list[User]:
    """One account per role, created once with DEMO_PASSWORD (a password changed later is left alone)."""
    users = []
    hashed = None
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            # One hash for all: PBKDF2 takes ~0.5 s a call, and the demo shares one password anyway.
            hashed = hashed or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                username=account.username,
                password=hashed,
                role=account.role,
                full_name=account.full_name,
                institution=Institution.objects.get(name=account.institution) if account.institution else None,
                bureau=Bureau.objects.get(name=account.bureau) if account.bureau else None,
            )
            _audit_demo(user, "user.demo", {"username": user.username, "role": user.role})
        users.append(user)
    return users


def accounts_table(users: list[User]) -> str:
    rows = [("username", "role", "scope", "password")]
    rows += [(u.username, u.role, u.scope_label, DEMO_PASSWORD) for u in users]
    widths = [max(_width(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip() for row in rows]
    return "\n".join(lines) + "\n"


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


# Who gets the demo's extensions, per stage, so the whole workflow can be tried on any day of the year.
DEMO_EXTENSIONS = {
    Stage.FILING: {"institutions": [SCHOOL, COLLEGE, "示例合肥市第二职业学校"]},
    Stage.BUREAU_REVIEW: {"bureaus": ["合肥市"], "institutions": [SCHOOL, "示例合肥市第二职业学校"]},
    Stage.PROVINCIAL_REVIEW: {"institutions": [SCHOOL, COLLEGE, "示例合肥市第二职业学校"]},
}
DEMO_EXTENSION_REASON = "演示：为体验申报与审核流程延长窗口（示例，非真实安排）"
SUBMITTED_DEMO_SCHOOL = "示例合肥市第二职业学校"


def open_demo_windows(year: int, *, admin: User) -> None:
    """Outside the notice's windows, extend this year's latest started round for the demo accounts (30 days).

    Extensions are how the province really gives one institution more time (DOMAIN.md §4); here they let a
    visitor file, sign off, review and publish on any day. Also files one example school's plan into bureau review,
    so the bureau's queue is not empty. Idempotent.
    """
    now = timezone.now()
    today = local_today(now)
    started = [r for r in Round.objects.filter(year=year) if r.filing_start <= today]
    if not started:
        return
    rnd = max(started, key=lambda r: r.filing_start)
    if rnd.window_for(Stage.FILING).is_open(at=now):
        return
    until = today + timedelta(days=30)
    for stage, targets in DEMO_EXTENSIONS.items():
        for name in targets.get("institutions", []):
            institution = Institution.objects.get(name=name)
            if not Extension.objects.filter(round=rnd, stage=stage, institution=institution).exists():
                grant_extension(
                    actor=admin,
                    round=rnd,
                    stage=stage,
                    until=until,
                    reason=DEMO_EXTENSION_REASON,
                    institution=institution,
                )
        for name in targets.get("bureaus", []):
            bureau = Bureau.objects.get(name=name)
            if not Extension.objects.filter(round=rnd, stage=stage, bureau=bureau).exists():
                grant_extension(
                    actor=admin, round=rnd, stage=stage, until=until, reason=DEMO_EXTENSION_REASON, bureau=bureau
                )
    load_submitted_plan(rnd, now=now)


def load_submitted_plan(rnd: Round, *, now) -> None:
    from plans.models import ApplicationForm

    school = Institution.objects.get(name=SUBMITTED_DEMO_SCHOOL)
    if Plan.objects.filter(institution=school, round=rnd).exists():
        return
    plan = Plan.objects.create(institution=school, round=rnd, status=PlanStatus.BUREAU_REVIEW, submitted_at=now)
    certs = {c.name: c for c in Certificate.objects.all()}
    lines = [
        ("物流管理职业技能等级证书", Level.JUNIOR, "物流服务与管理", 45),
        ("老年照护职业技能等级证书", Level.JUNIOR, "护理", 30),
    ]
    for cert_name, level, major, headcount in lines:
        cert = certs[cert_name]
        PlanLine.objects.create(
            plan=plan, certificate=cert, level=level, major_name=major, headcount=headcount, remark=ILLUSTRATIVE
        )
        ApplicationForm.objects.create(
            plan=plan,
            certificate=cert,
            majors=[{"name": major, "students": headcount * 3}],
            teachers=[{"name": "示例教师甲", "title": "讲师", "role": "考评员"}],
            facilities="示例：校内实训室一间",
            is_exam_site=False,
            enterprises="示例企业",
            training_plan="示例：每周4学时，共12周",
            budget_amount=Decimal("30000"),
            budget_source="示例：学校专项经费",
            review_date=rnd.filing_start,
            experts=[{"name": "示例专家乙", "title": "副教授", "affiliation": "示例高校"}],
            review_conclusion="示例：同意申报",
        )
    _audit_demo(plan, "plan.demo", {"status": plan.status, "lines": [list(map(str, line)) for line in lines]})
