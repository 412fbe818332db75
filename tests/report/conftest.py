"""A hand-built report month (the CHU's published figures) and a stand-in store and catalog."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from sentinelle.report.model import (
    Coverage,
    DayPoint,
    DiscoveryHost,
    DnsSummary,
    Headline,
    HeatCell,
    Metrics,
    MonthRow,
    PolicyGroup,
    ReportData,
    Row,
)

GENERATED_AT = datetime(2026, 9, 1, 6, 30, tzinfo=UTC)


def _row(key: str | None, label: str, requests: int, workstations: int, total: int,
         **extra: Any) -> Row:  # fmt: skip
    metrics = Metrics(
        requests=requests,
        blocked=requests // 50,
        visits=requests // 6,
        workstations=workstations,
        users=workstations * 9 // 10,
        bytes_out=requests * 2_100,
        bytes_in=requests * 48_000,
    )
    return Row(key, label, metrics, requests / total, **extra)


def sample_report_data() -> ReportData:
    """August 2026 at a CHU: 400 000 connections, 6 500 workstations, 60 % ChatGPT."""
    services = [  # (id, name, category, general purpose, requests, workstations, status)
        ("chatgpt", "ChatGPT", "assistant", True, 240_000, 5_200, "unsanctioned"),
        ("copilot", "Microsoft Copilot", "assistant", True, 64_000, 2_100, "sanctioned"),
        ("gemini", "Gemini", "assistant", True, 40_000, 1_500, "unsanctioned"),
        ("le-chat", "Le Chat (Mistral AI)", "assistant", True, 24_000, 900, "tolerated"),
        ("claude", "Claude", "assistant", True, 20_000, 700, "unsanctioned"),
        ("deepseek", "DeepSeek", "assistant", True, 12_000, 300, "blocked"),
        ("deepl", "DeepL", "translation", False, 30_000, 1_800, "tolerated"),
        ("nabla", "Nabla", "medical", False, 3_000, 40, "sanctioned"),
        ("perplexity", "Perplexity", "search", False, 4_000, 3, "unsanctioned"),
    ]
    services.sort(key=lambda s: -s[4])
    total = sum(s[4] for s in services)
    by_service = tuple(
        _row(sid, name, req, ws, total, category=cat, status=status, general_purpose=gp)
        for sid, name, cat, gp, req, ws, status in services
    )
    categories: dict[str, int] = defaultdict(int)
    for s in services:
        categories[s[2]] += s[4]
    by_category = tuple(
        _row(cat, cat, req, 100, total)
        for cat, req in sorted(categories.items(), key=lambda kv: -kv[1])
    )
    roles = [("Médecin", 120_000, 2_000), ("Interne", 90_000, 900),
             ("Infirmier", 80_000, 1_900), ("Cadre administratif", 60_000, 800),
             ("Secrétariat médical", 20_000, 450), ("Pharmacien", 2_000, 4),
             (None, 65_000, 600)]  # fmt: skip
    by_role = tuple(_row(k, k or "", r, w, total) for k, r, w in roles)
    departments = [("Urgences", 90_000, 900), ("Cardiologie", 70_000, 700),
                   ("Pédiatrie", 60_000, 650), ("Imagerie médicale", 40_000, 500),
                   ("Direction des ressources humaines et des affaires médicales", 37_000, 300),
                   ("Oncologie", 30_000, 400), (None, 110_000, 1_200)]  # fmt: skip
    by_department = tuple(_row(k, k or "", r, w, total) for k, r, w in departments)
    sites = [("Hôpital Nord", 250_000, 4_000), ("Hôpital Sud", 187_000, 2_900)]
    by_site = tuple(_row(k, k, r, w, total) for k, r, w in sites)
    daily = tuple(
        DayPoint(
            date(2026, 8, d),
            requests=(4_000 if date(2026, 8, d).isoweekday() >= 6 else 17_000) + 37 * d,
            blocked=120 + d,
            workstations=900 + 11 * d,
        )
        for d in range(1, 32)
    )
    heatmap = tuple(
        HeatCell(wd, h, int((400 if 8 <= h <= 18 else 40) * (1 if wd <= 5 else 0.3)) + h)
        for wd in range(1, 8)
        for h in range(24)
    )
    months = (
        MonthRow("2026-06", Metrics(310_000, 5_000, 50_000, 5_600, 4_900), None),
        MonthRow("2026-07", Metrics(280_000, 4_500, 46_000, 5_100, 4_500), -0.0967741935),
        MonthRow("2026-08", Metrics(437_000, 8_700, 72_800, 6_900, 6_200), 0.5607142857),
    )
    gp_requests = sum(s[4] for s in services if s[3])
    policy = tuple(
        PolicyGroup(
            status,
            requests=sum(s[4] for s in services if s[6] == status),
            blocked=sum(s[4] // 50 for s in services if s[6] == status),
            visits=sum(s[4] // 6 for s in services if s[6] == status),
            share=sum(s[4] for s in services if s[6] == status) / total,
            services=tuple(s[1] for s in services if s[6] == status),
        )
        for status in ("sanctioned", "tolerated", "unsanctioned", "blocked")
    )
    return ReportData(
        period="2026-08",
        tz="Europe/Paris",
        catalog_version="2026.08.1",
        sentinelle_version="0.1.0",
        generated_at=GENERATED_AT,
        headline=Headline(
            period="2026-08",
            requests=gp_requests,
            workstations=6_500,
            top_service="ChatGPT",
            top_share=240_000 / gp_requests,
            role="Secrétariat médical",
            role_requests=15_000,
            role_is_secretary=True,
        ),
        totals=Metrics(total, 8_740, 72_833, 6_900, 6_210, 917_700_000, 20_976_000_000),
        general_purpose=Metrics(gp_requests, 8_000, 66_666, 6_500, 5_850, None, None),
        by_service=by_service,
        by_category=by_category,
        by_role=by_role,
        by_department=by_department,
        by_site=by_site,
        daily=daily,
        heatmap=heatmap,
        months=months,
        policy=policy,
        policy_source="politique-chu.yaml",
        discovery=(
            DiscoveryHost("chat.example-llm.ai", 42, 1_310),
            DiscoveryHost("gpt-helper.example.com", 7, 95),
        ),
        dns=DnsSummary(
            totals=Metrics(requests=1_250_000, workstations=7_100),
            by_service=(
                Row("chatgpt", "ChatGPT", Metrics(requests=900_000, workstations=6_000), 0.72),
                Row("gemini", "Gemini", Metrics(requests=350_000, workstations=2_000), 0.28),
            ),
        ),
        coverage=Coverage(
            files=31,
            lines=48_000_000,
            events=47_990_000,
            rejected=8_000,
            skipped=2_000,
            ai_events=437_000,
            no_host_events=120_000,
            unattributed_events=65_000,
            dns_events=1_250_000,
            formats=("squid", "windows-dns"),
            first_ts=datetime(2026, 7, 31, 22, 0, tzinfo=UTC),
            last_ts=datetime(2026, 8, 31, 21, 59, tzinfo=UTC),
        ),
    )


@pytest.fixture
def report_data() -> ReportData:
    return sample_report_data()


# -- a stand-in store and catalog, duck-typed on sentinelle.store.Store / sentinelle.catalog --


@dataclass(frozen=True)
class Hit:
    """One catalog hit: what the stand-in store aggregates."""

    when: datetime  # local time in the store's zone
    service: str
    category: str
    workstation: str
    user: str | None = None
    role: str | None = None
    department: str | None = None
    site: str | None = None
    blocked: bool = False
    protocol: str = "web"


@dataclass
class FakeStore:
    """Aggregates a list of hits like the real store (visits: one per workstation and service)."""

    hits: list[Hit]
    tz: str = "Europe/Paris"
    catalog_version: str | None = "test-1"
    discovered: list[dict[str, Any]] = field(default_factory=list)

    def periods(self) -> list[str]:
        return sorted({h.when.strftime("%Y-%m") for h in self.hits if h.protocol == "web"})

    def _dims(self, hit: Hit) -> dict[str, Any]:
        return {
            "period": hit.when.strftime("%Y-%m"),
            "day": hit.when.strftime("%Y-%m-%d"),
            "hour": hit.when.hour,
            "weekday": hit.when.isoweekday(),
            "service": hit.service,
            "category": hit.category,
            "department": hit.department or "unknown",
            "role": hit.role or "unknown",
            "site": hit.site or "unknown",
        }

    def metrics(self, by: Sequence[str], period: str | None = None, protocol: str = "web",
                services: Sequence[str] | None = None) -> list[dict[str, Any]]:  # fmt: skip
        groups: dict[tuple[Any, ...], list[Hit]] = defaultdict(list)
        for hit in self.hits:
            dims = self._dims(hit)
            if services is not None and hit.service not in services:
                continue
            if hit.protocol == protocol and (period is None or dims["period"] == period):
                groups[tuple(dims[d] for d in by)].append(hit)
        if not by and not groups:
            groups[()] = []
        return [
            dict(zip(by, key, strict=True))
            | {
                "requests": len(hits),
                "blocked": sum(h.blocked for h in hits),
                "visits": len({(h.workstation, h.service) for h in hits}),
                "workstations": len({h.workstation for h in hits}),
                "users": len({h.user for h in hits if h.user}),
                "bytes_out": None,
                "bytes_in": None,
            }
            for key, hits in sorted(groups.items())
        ]

    def scan_summary(self, period: str | None = None) -> dict[str, Any]:
        web = [h for h in self.hits if h.protocol == "web"]
        return {"files": 1, "lines": len(self.hits) + 2, "events": len(self.hits) + 1,
                "rejected": 1, "skipped": 0, "ai_events": len(web), "no_host_events": 1,
                "unattributed_events": sum(h.department is None for h in web),
                "dns_events": len(self.hits) - len(web), "formats": ["squid"],
                "first_ts": None, "last_ts": None}  # fmt: skip

    def discovery(self, period: str | None = None, limit: int = 30) -> list[dict[str, Any]]:
        return self.discovered[:limit]


@dataclass(frozen=True)
class FakeService:
    name: str
    category: str
    general_purpose: bool


@dataclass
class FakeCatalog:
    services: dict[str, FakeService]
    version: str = "test-1"


@dataclass
class FakePolicy:
    statuses: dict[str, str]
    categories: dict[str, str] = field(default_factory=dict)
    path: str = "policy.yaml"

    def status(self, service_id: str, category: str | None = None) -> str:
        if service_id in self.statuses:
            return self.statuses[service_id]
        return self.categories.get(category or "", "unsanctioned")


FAKE_CATALOG = FakeCatalog(
    {
        "chatgpt": FakeService("ChatGPT", "assistant", True),
        "claude": FakeService("Claude", "assistant", True),
        "deepl": FakeService("DeepL", "translation", False),
    }
)
