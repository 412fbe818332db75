"""ReportData from a stand-in store: headline figures, role choice, policy split, DNS apart."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sentinelle.errors import ConfigError, StoreError
from sentinelle.report import build_report_data, is_secretary_role
from tests.report.conftest import FAKE_CATALOG, FakePolicy, FakeStore, Hit


def _hits() -> list[Hit]:
    aug = datetime(2026, 8, 3, 10, 0)  # a Monday, local time
    sec = {"role": "Secrétaire médicale", "department": "Cardiologie", "site": "Nord"}
    intern = {"role": "Interne", "department": "Urgences", "site": "Sud"}
    hits = [
        # July: 2 ChatGPT requests, for month-over-month
        Hit(datetime(2026, 7, 20, 9), "chatgpt", "assistant", "PC-1", **sec),
        Hit(datetime(2026, 7, 21, 9), "chatgpt", "assistant", "PC-1", **sec),
        # August, secretaries: 3 ChatGPT + 1 DeepL (not general-purpose)
        Hit(aug, "chatgpt", "assistant", "PC-1", user="u1", **sec),
        Hit(aug.replace(hour=11), "chatgpt", "assistant", "PC-2", user="u2", **sec),
        Hit(aug.replace(day=4), "chatgpt", "assistant", "PC-2", user="u2", **sec),
        Hit(aug.replace(day=5), "deepl", "translation", "PC-2", **sec),
        # August, interns: 4 ChatGPT + 1 Claude (blocked) — more than the secretaries
        *[
            Hit(aug.replace(day=10, hour=h), "chatgpt", "assistant", "PC-9", **intern)
            for h in (8, 9, 22, 23)
        ],
        Hit(aug.replace(day=10), "claude", "assistant", "PC-9", blocked=True, **intern),
        # August, a workstation missing from the inventory, a local service the catalog lacks
        Hit(aug.replace(day=31, hour=23), "chatgpt", "assistant", "10.9.9.9"),
        Hit(aug.replace(day=15), "chu-bot", "assistant", "10.9.9.9"),
        # DNS queries: counted apart
        *[Hit(aug, "chatgpt", "assistant", "PC-1", protocol="dns", **sec) for _ in range(5)],
    ]
    return hits


@pytest.fixture
def store() -> FakeStore:
    discovered = [
        {"host": "x-gpt.ai", "workstations": 2, "requests": 9},
        {"host": "chat.y.ai", "workstations": 3, "requests": 1},
    ]
    return FakeStore(_hits(), discovered=discovered)


def test_latest_period_by_default(store: FakeStore) -> None:
    data = build_report_data(store, None, catalog=FAKE_CATALOG)
    assert data.period == "2026-08"
    assert data.tz == "Europe/Paris"
    assert data.catalog_version == "test-1"


def test_headline_figures(store: FakeStore) -> None:
    h = build_report_data(store, "2026-08", catalog=FAKE_CATALOG).headline
    # general-purpose: chatgpt 3 + 4 + 1 = 8, claude 1 (chu-bot is not in the catalog: not counted)
    assert h.requests == 9
    assert h.top_service == "ChatGPT"
    assert h.top_share == pytest.approx(8 / 9)
    # workstations that reached a general-purpose service (DeepL and chu-bot users not added)
    assert h.workstations == 4


def test_secretaries_are_highlighted_even_when_not_the_top_role(store: FakeStore) -> None:
    h = build_report_data(store, "2026-08", catalog=FAKE_CATALOG).headline
    assert (h.role, h.role_requests, h.role_is_secretary) == ("Secrétaire médicale", 3, True)


def test_highlight_role_overrides(store: FakeStore) -> None:
    h = build_report_data(store, "2026-08", catalog=FAKE_CATALOG, highlight_role="interne").headline
    assert (h.role, h.role_requests, h.role_is_secretary) == ("Interne", 5, False)
    with pytest.raises(ConfigError, match="Pharmacien") as err:
        build_report_data(store, "2026-08", catalog=FAKE_CATALOG, highlight_role="Pharmacien")
    assert "Interne" in str(err.value)


def test_top_role_without_secretaries() -> None:
    hits = [h for h in _hits() if h.role != "Secrétaire médicale"]
    h = build_report_data(FakeStore(hits), "2026-08", catalog=FAKE_CATALOG).headline
    assert h.role == "Interne"


def test_dimensions_and_unattributed_rows(store: FakeStore) -> None:
    data = build_report_data(store, "2026-08", catalog=FAKE_CATALOG)
    assert [r.key for r in data.by_role] == ["Interne", "Secrétaire médicale", None]
    assert data.by_role[-1].label == ""
    assert sum(r.share for r in data.by_role) == pytest.approx(1)
    services = {r.key: r for r in data.by_service}
    assert services["chu-bot"].label == "chu-bot" and not services["chu-bot"].general_purpose
    assert services["deepl"].category == "translation"
    assert services["claude"].metrics.blocked == 1
    assert [r.key for r in data.by_category] == ["assistant", "translation"]


def test_totals_daily_heatmap_and_months_agree(store: FakeStore) -> None:
    data = build_report_data(store, "2026-08", catalog=FAKE_CATALOG)
    assert data.totals.requests == 11
    assert len(data.daily) == 31 and sum(p.requests for p in data.daily) == 11
    assert data.daily[9].requests == 5  # 10 August
    assert len(data.heatmap) == 7 * 24 and sum(c.requests for c in data.heatmap) == 11
    monday_10 = next(c for c in data.heatmap if (c.weekday, c.hour) == (1, 10))
    assert monday_10.requests == 2  # ChatGPT on Monday 3 August, Claude on Monday 10 August
    assert [(m.period, m.metrics.requests) for m in data.months] == [
        ("2026-07", 2),
        ("2026-08", 11),
    ]
    assert data.months[0].change is None
    assert data.months[1].change == pytest.approx(4.5)


def test_dns_queries_stay_apart(store: FakeStore) -> None:
    data = build_report_data(store, "2026-08", catalog=FAKE_CATALOG)
    assert data.dns.totals.requests == 5
    assert [(r.label, r.metrics.requests) for r in data.dns.by_service] == [("ChatGPT", 5)]
    assert data.totals.requests == 11  # not 16
    assert data.coverage.dns_events == 5


def test_policy_split() -> None:
    policy = FakePolicy(
        {"claude": "blocked", "chu-bot": "sanctioned"}, {"translation": "tolerated"}
    )
    data = build_report_data(FakeStore(_hits()), "2026-08", catalog=FAKE_CATALOG, policy=policy)
    groups = {g.status: g for g in data.policy}
    assert [g.status for g in data.policy] == ["sanctioned", "tolerated", "unsanctioned", "blocked"]
    assert (groups["sanctioned"].requests, groups["sanctioned"].services) == (1, ("chu-bot",))
    assert groups["tolerated"].services == ("DeepL",)
    assert groups["unsanctioned"].requests == 8
    assert (groups["blocked"].requests, groups["blocked"].blocked) == (1, 1)
    assert data.shadow_share == pytest.approx(9 / 11)
    assert data.policy_source == "policy.yaml"


def test_without_policy_everything_is_unsanctioned(store: FakeStore) -> None:
    data = build_report_data(store, "2026-08", catalog=FAKE_CATALOG)
    assert data.policy_source is None
    assert data.shadow_share == pytest.approx(1)


def test_discovery_ranked_by_workstations(store: FakeStore) -> None:
    data = build_report_data(store, "2026-08", catalog=FAKE_CATALOG)
    assert [h.host for h in data.discovery] == ["chat.y.ai", "x-gpt.ai"]


def test_unknown_period_and_empty_store() -> None:
    with pytest.raises(ConfigError, match="2026-01") as err:
        build_report_data(FakeStore(_hits()), "2026-01", catalog=FAKE_CATALOG)
    assert "2026-07, 2026-08" in str(err.value)
    with pytest.raises(StoreError, match="no scanned events"):
        build_report_data(FakeStore([]), None, catalog=FAKE_CATALOG)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("Secrétariat médical", True),
        ("secretariat medical - urgences", True),
        ("Secrétaire médicale", True),
        ("SECRÉTAIRES MÉDICALES", True),
        ("Secrétariat de direction", False),
        ("Médecin", False),
    ],
)
def test_secretary_roles(role: str, expected: bool) -> None:
    assert is_secretary_role(role) is expected


def test_partial_months_are_flagged_and_not_compared() -> None:
    class Covered(FakeStore):
        def scan_summary(self, period: str | None = None) -> dict[str, Any]:
            first, last = (
                datetime(2026, 7, 20, tzinfo=UTC),
                datetime(2026, 8, 31, 21, 59, tzinfo=UTC),
            )
            return super().scan_summary(period) | {"first_ts": first, "last_ts": last}

    data = build_report_data(Covered(_hits()), "2026-08", catalog=FAKE_CATALOG)
    assert [(m.period, m.partial, m.change) for m in data.months] == [
        ("2026-07", True, None),
        ("2026-08", False, None),  # 31 Aug 21:59 UTC is 23:59 in Paris: August is complete
    ]
