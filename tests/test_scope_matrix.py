"""The scope matrix (DOMAIN.md §3): for every member of the cast, what each `for_user` returns and which object
pages answer 200 rather than 404.

Data-driven: to cover a new object page, add an `ObjectPage` to OBJECT_PAGES (`plan_pages(url_name)` for a page per
plan; `refused` for in-scope roles that get 403) and its missing-id URL to MISSING_OBJECT_URLS; to cover a new scoped
model, add a `Scoped` to SCOPED_MODELS. Objects are named by short keys ("school1/spring") so a failure reads as a
table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import User
from institutions.models import Bureau, Institution
from plans.enums import PlanStatus
from plans.models import Plan
from rounds.models import Round

SCHOOL1 = {"staff", "office_head", "leader"}
COLLEGE1 = {"college_staff", "college_office_head", "college_leader"}
SCHOOL2 = {"other_staff"}
PROVINCE = {"provincial_reviewer", "provincial_admin", "observer"}
EVERYONE = SCHOOL1 | COLLEGE1 | SCHOOL2 | {"bureau_reviewer", "other_bureau_reviewer"} | PROVINCE


@dataclass
class World:
    """The cast, both 2027 rounds, and a plan in each interesting state."""

    cast: object
    rounds: dict[str, Round]
    plans: dict[str, Plan]

    def users(self) -> list[User]:
        return list(User.objects.filter(username__in=EVERYONE).select_related("institution", "bureau"))


@pytest.fixture
def world(cast, spring, autumn) -> World:
    def plan(institution, rnd, status):
        return Plan.objects.create(institution=institution, round=rnd, status=status)

    return World(
        cast=cast,
        rounds={"spring": spring, "autumn": autumn},
        plans={
            "school1/spring": plan(cast.school1, spring, PlanStatus.BUREAU_REVIEW),
            "school1/autumn": plan(cast.school1, autumn, PlanStatus.DRAFT),
            "college1/spring": plan(cast.college1, spring, PlanStatus.PROVINCIAL_REVIEW),
            "school2/spring": plan(cast.school2, spring, PlanStatus.BUREAU_REVIEW),
            "school2/autumn": plan(cast.school2, autumn, PlanStatus.AWAITING_SIGNOFF),
            "college2/spring": plan(cast.college2, spring, PlanStatus.PUBLISHED),
        },
    )


# ---------------------------------------------------------------------------------------------------------------
# for_user on every scoped model


@dataclass(frozen=True)
class Scoped:
    model: type
    key: Callable[[object], str]  # how an object is named in the expectations
    expected: dict[str, set[str]]  # username -> keys of what for_user returns


def institution_key(institution: Institution) -> str:
    return {
        "示例合肥职业学校": "school1",
        "示例合肥职业技术学院": "college1",
        "示例芜湖中等专业学校": "school2",
        "示例芜湖应用技术学院": "college2",
    }[institution.name]


def by_group(**groups: set[str]) -> dict[str, set[str]]:
    """Expectations written per group of users (SCHOOL1=..., PROVINCE=...), spread to each username."""
    named = {"SCHOOL1": SCHOOL1, "COLLEGE1": COLLEGE1, "SCHOOL2": SCHOOL2, "PROVINCE": PROVINCE}
    expected = {}
    for group, keys in groups.items():
        for username in named.get(group, {group}):
            expected[username] = keys
    assert set(expected) == EVERYONE
    return expected


ALL_PLANS = {
    "school1/spring",
    "school1/autumn",
    "college1/spring",
    "school2/spring",
    "school2/autumn",
    "college2/spring",
}

SCOPED_MODELS = {
    "bureau": Scoped(
        Bureau,
        key=lambda bureau: bureau.name,
        expected=by_group(
            SCHOOL1={"合肥市"},
            COLLEGE1={"合肥市"},
            SCHOOL2={"芜湖市"},
            bureau_reviewer={"合肥市"},
            other_bureau_reviewer={"芜湖市"},
            PROVINCE={"合肥市", "芜湖市"},
        ),
    ),
    "institution": Scoped(
        Institution,
        key=institution_key,
        expected=by_group(
            SCHOOL1={"school1"},
            COLLEGE1={"college1"},
            SCHOOL2={"school2"},
            # A bureau sees the secondary schools of its area, never a college located there.
            bureau_reviewer={"school1"},
            other_bureau_reviewer={"school2"},
            PROVINCE={"school1", "college1", "school2", "college2"},
        ),
    ),
    "user": Scoped(
        User,
        key=lambda user: user.username,
        expected=by_group(
            SCHOOL1=SCHOOL1,
            COLLEGE1=COLLEGE1,
            SCHOOL2=SCHOOL2,
            bureau_reviewer={"bureau_reviewer"},
            other_bureau_reviewer={"other_bureau_reviewer"},
            PROVINCE=EVERYONE,
        ),
    ),
    "round": Scoped(
        Round,
        key=lambda rnd: f"{rnd.year} {rnd.season}",
        expected={username: {"2027 spring", "2027 autumn"} for username in EVERYONE},
    ),
    "plan": Scoped(
        Plan,
        key=lambda plan: f"{institution_key(plan.institution)}/{plan.round.season}",
        expected=by_group(
            SCHOOL1={"school1/spring", "school1/autumn"},
            COLLEGE1={"college1/spring"},
            SCHOOL2={"school2/spring", "school2/autumn"},
            # Secondary schools' plans once they reached the bureau; drafts and unsigned plans stay home.
            bureau_reviewer={"school1/spring"},
            other_bureau_reviewer={"school2/spring"},
            PROVINCE=ALL_PLANS,
        ),
    ),
}


@pytest.mark.parametrize("name", SCOPED_MODELS)
def test_scope_matrix_for_user_returns_exactly_the_scope(world, name):
    scoped = SCOPED_MODELS[name]

    seen = {user.username: {scoped.key(obj) for obj in scoped.model.objects.for_user(user)} for user in world.users()}

    assert seen == scoped.expected


# ---------------------------------------------------------------------------------------------------------------
# Object pages: 200 in scope, 404 out of scope


@dataclass(frozen=True)
class ObjectPage:
    name: str
    url: Callable[[World], str]
    seen_by: set[str]  # usernames that get 200
    refused: frozenset[str] = frozenset()  # in scope, but their role may not use the page: 403
    # everyone else in the cast gets 404


def plan_scope(key: str) -> set[str]:
    """Who may see plan `key`: exactly what Plan.objects.for_user gives them."""
    return {username for username, keys in SCOPED_MODELS["plan"].expected.items() if key in keys}


def plan_pages(url_name: str) -> list[ObjectPage]:
    """One page per plan of the world, seen by whoever has the plan in scope."""
    return [
        ObjectPage(f"{url_name} {key}", lambda w, key=key: reverse(url_name, args=[w.plans[key].pk]), plan_scope(key))
        for key in sorted(ALL_PLANS)
    ]


OBJECT_PAGES = [
    ObjectPage("round_detail spring", lambda w: reverse("round_detail", args=[w.rounds["spring"].pk]), EVERYONE),
    ObjectPage("round_detail autumn", lambda w: reverse("round_detail", args=[w.rounds["autumn"].pk]), EVERYONE),
    *plan_pages("plan_detail"),
    *plan_pages("plan_workspace"),
    *plan_pages("plan_documents"),
    *[
        ObjectPage(
            f"institution_detail {key}",
            lambda w, key=key: reverse("institution_detail", args=[getattr(w.cast, key).pk]),
            {u for u, keys in SCOPED_MODELS["institution"].expected.items() if key in keys},
        )
        for key in ("school1", "college1", "school2", "college2")
    ],
]


def missing(url_name: str, objects: Callable[[World], dict]) -> Callable[[World], str]:
    return lambda w: reverse(url_name, args=[max(obj.pk for obj in objects(w).values()) + 1000])


# A page asked for with an id that does not exist answers 404 to everyone.
MISSING_OBJECT_URLS = {
    "round_detail": missing("round_detail", lambda w: w.rounds),
    "plan_detail": missing("plan_detail", lambda w: w.plans),
    "plan_workspace": missing("plan_workspace", lambda w: w.plans),
    "plan_documents": missing("plan_documents", lambda w: w.plans),
    "institution_detail": lambda w: reverse("institution_detail", args=[w.cast.college2.pk + 1000]),
}


def statuses(client, world: World, url: str) -> dict[str, int]:
    seen = {}
    for user in world.users():
        client.force_login(user)
        seen[user.username] = client.get(url).status_code
    return seen


@pytest.mark.parametrize("page", OBJECT_PAGES, ids=lambda page: page.name)
def test_scope_matrix_object_page_answers_404_outside_scope(client, world, page):
    seen = statuses(client, world, page.url(world))

    assert seen == {
        username: 200 if username in page.seen_by else 403 if username in page.refused else 404 for username in EVERYONE
    }


@pytest.mark.parametrize("kind", MISSING_OBJECT_URLS)
def test_scope_matrix_wrong_id_answers_404(client, world, kind):
    seen = statuses(client, world, MISSING_OBJECT_URLS[kind](world))

    assert seen == dict.fromkeys(EVERYONE, 404)


def test_scope_matrix_object_pages_ask_anonymous_users_to_log_in(client, world):
    seen = {page.name: client.get(page.url(world)).status_code for page in OBJECT_PAGES}

    assert seen == {page.name: 302 for page in OBJECT_PAGES}
