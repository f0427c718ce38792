"""The fixed cast every test uses: two bureaus, two institutions under each, one user of every role."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import Role
from accounts.models import User
from catalog.enums import Level
from catalog.models import AwardingBody, Certificate, CertificateLevel
from institutions.enums import InstitutionKind
from institutions.models import Bureau, Institution
from rounds.models import Round

PASSWORD = "onex-test-password-1"  # noqa: S105
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 costs ~0.34 s a password here and the cast has 14 users; tests check behaviour, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache (local memory in tests): each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The default hasher costs ~0.3 s per user; tests create a dozen per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


_password_only_force_login = Client.force_login


def password_only_login(client: Client, user) -> None:
    """Sign `user` in without the second factor: what a reviewer or admin has after the password step alone."""
    _password_only_force_login(client, user)


def _force_login_with_second_factor(client: Client, user, backend=None) -> None:
    """`Client.force_login` in tests: reviewers and admins also count as having entered their second factor.

    Enforcement (accounts.middleware.SecondFactorMiddleware) stays on in every test; the session is simply marked
    verified with a confirmed device, as the second-factor page does after a good code.
    """
    if user.role not in Role.second_factor_roles():
        _password_only_force_login(client, user, backend)
        return
    # The device first: creating it forgets the cached person (accounts.backends), which signing in then reads.
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test device", confirmed=True)
    _password_only_force_login(client, user, backend)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture(autouse=True)
def _second_factor_for_forced_logins(monkeypatch):
    monkeypatch.setattr(Client, "force_login", _force_login_with_second_factor)


def make_user(username: str, role: str, *, institution=None, bureau=None) -> User:
    return User.objects.create_user(
        username=username, password=PASSWORD, role=role, institution=institution, bureau=bureau, full_name=username
    )


def make_certificate(
    name: str,
    *,
    levels=(Level.JUNIOR, Level.INTERMEDIATE, Level.SENIOR),
    min_headcount=None,
    body: str = "示例评价组织",
    batch: int | None = 1,
    restricted: bool = False,
    majors=(),
) -> Certificate:
    awarding_body, _ = AwardingBody.objects.get_or_create(name=body)
    cert = Certificate.objects.create(
        name=name,
        batch=batch,
        awarding_body=awarding_body,
        restricted=restricted,
        restricted_reason="培训质量不高" if restricted else "",
    )
    for level in levels:
        CertificateLevel.objects.create(certificate=cert, level=level, min_headcount=min_headcount)
    for major in majors:
        from catalog.models import Major

        cert.majors.add(Major.objects.get_or_create(name=major, code="")[0])
    return cert


def make_round(year: int, season: str = "spring", **dates) -> Round:
    return Round.objects.create(year=year, season=season, **(Round.notice_defaults(year, season) | dates))


@dataclass
class Cast:
    bureau1: Bureau
    bureau2: Bureau
    school1: Institution  # secondary, bureau 1
    college1: Institution  # higher vocational, bureau 1
    school2: Institution  # secondary, bureau 2
    college2: Institution  # applied undergraduate, bureau 2
    staff: User  # school1
    office_head: User  # school1
    leader: User  # school1
    college_staff: User  # college1
    college_office_head: User  # college1
    college_leader: User  # college1
    other_staff: User  # school2
    bureau_reviewer: User  # bureau1
    other_bureau_reviewer: User  # bureau2
    provincial_reviewer: User
    provincial_admin: User
    observer: User

    def one_of_every_role(self) -> list[User]:
        return [
            self.staff,
            self.office_head,
            self.leader,
            self.bureau_reviewer,
            self.provincial_reviewer,
            self.provincial_admin,
            self.observer,
        ]


@pytest.fixture
def cast(db) -> Cast:
    bureau1 = Bureau.objects.create(name="合肥市")
    bureau2 = Bureau.objects.create(name="芜湖市")
    registered = {"platform_account": "AH-TEST"}
    school1 = Institution.objects.create(
        name="示例合肥职业学校",
        kind=InstitutionKind.SECONDARY_VOCATIONAL,
        bureau=bureau1,
        is_example=True,
        **registered,
    )
    college1 = Institution.objects.create(
        name="示例合肥职业技术学院",
        kind=InstitutionKind.HIGHER_VOCATIONAL,
        bureau=bureau1,
        ministry_code="4134000001",
        is_example=True,
        **registered,
    )
    school2 = Institution.objects.create(
        name="示例芜湖中等专业学校",
        kind=InstitutionKind.PROVINCIAL_SECONDARY,
        bureau=bureau2,
        is_example=True,
        **registered,
    )
    college2 = Institution.objects.create(
        name="示例芜湖应用技术学院",
        kind=InstitutionKind.APPLIED_UNDERGRAD,
        bureau=bureau2,
        ministry_code="4134000002",
        is_example=True,
        **registered,
    )
    return Cast(
        bureau1=bureau1,
        bureau2=bureau2,
        school1=school1,
        college1=college1,
        school2=school2,
        college2=college2,
        staff=make_user("staff", Role.INSTITUTION_STAFF, institution=school1),
        office_head=make_user("office_head", Role.INSTITUTION_OFFICE_HEAD, institution=school1),
        leader=make_user("leader", Role.INSTITUTION_LEADER, institution=school1),
        college_staff=make_user("college_staff", Role.INSTITUTION_STAFF, institution=college1),
        college_office_head=make_user("college_office_head", Role.INSTITUTION_OFFICE_HEAD, institution=college1),
        college_leader=make_user("college_leader", Role.INSTITUTION_LEADER, institution=college1),
        other_staff=make_user("other_staff", Role.INSTITUTION_STAFF, institution=school2),
        bureau_reviewer=make_user("bureau_reviewer", Role.BUREAU_REVIEWER, bureau=bureau1),
        other_bureau_reviewer=make_user("other_bureau_reviewer", Role.BUREAU_REVIEWER, bureau=bureau2),
        provincial_reviewer=make_user("provincial_reviewer", Role.PROVINCIAL_REVIEWER),
        provincial_admin=make_user("provincial_admin", Role.PROVINCIAL_ADMIN),
        observer=make_user("observer", Role.OBSERVER),
    )


@pytest.fixture
def spring(db) -> Round:
    """This test year's spring round (2027, notice dates: filing 1–7 April)."""
    return make_round(2027, "spring")


@pytest.fixture
def autumn(db) -> Round:
    return make_round(2027, "autumn")


FILING_DAY = date(2027, 4, 3)


@pytest.fixture
def private_storage(settings, tmp_path):
    """The default (private) storage in a fresh directory, so a test can see exactly what was stored."""
    root = tmp_path / "private"
    root.mkdir()
    settings.STORAGES = settings.STORAGES | {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}
    }
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    """A throwaway redis-server (no persistence) on a free port. A missing server fails, it never skips."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - a fixed binary
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
