"""The embedded DuckDB store: scans, files, AI hits, and the metrics computed from them.

One directory (``--store DIR``, default ``./sentinelle-data`` or ``$SENTINELLE_STORE``) holds
``sentinelle.duckdb``.  A scan writes in one transaction: interrupted at any point (Ctrl-C,
``kill -9``), it leaves nothing behind, and DuckDB's write-ahead log discards the uncommitted work.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from sentinelle.errors import ConfigError, StoreError

if TYPE_CHECKING:
    import duckdb

__all__ = ["DIMENSIONS", "METRICS", "Store", "default_store_path"]

DB_NAME = "sentinelle.duckdb"
SCHEMA_VERSION = "1"
DIMENSIONS = (
    "period",
    "day",
    "hour",
    "weekday",
    "service",
    "category",
    "department",
    "role",
    "site",
)
METRICS = ("requests", "blocked", "visits", "workstations", "users", "bytes_out", "bytes_in")


def default_store_path() -> Path:
    return Path(os.environ.get("SENTINELLE_STORE", "sentinelle-data"))


def _sql(name: str) -> str:
    return resources.files("sentinelle.store").joinpath("sql", name).read_text()


class Store:
    """A sentinelle store; open it with :meth:`open` (read-only by default)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: Path | str | None = None, *, read_only: bool = True, create: bool = False
    ) -> Store:
        """Open the store in directory ``path``; ``create`` makes it when absent."""
        path = Path(path) if path is not None else default_store_path()
        db = path / DB_NAME
        if not db.exists():
            if not create:
                raise StoreError(
                    f"{path}: no sentinelle store here",
                    hint="run `sentinelle scan LOGS --store DIR` first, or point --store / "
                    "SENTINELLE_STORE at the store directory",
                )
            path.mkdir(parents=True, exist_ok=True)
            read_only = False
        import duckdb  # here, not above: a scan imports it while its workers read (~50 ms)

        try:
            con = duckdb.connect(str(db), read_only=read_only)
        except duckdb.IOException as e:
            raise StoreError(
                f"{db}: cannot open the store ({str(e).splitlines()[0]})",
                hint="another sentinelle command may be using it; wait for it to finish",
            ) from None
        store = cls(con, path)
        if not read_only:
            store._migrate()
        return store

    def _migrate(self) -> None:
        self.con.execute(_sql("schema.sql"))
        self.con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?) ON CONFLICT DO NOTHING", [SCHEMA_VERSION]
        )

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- settings --------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    @property
    def tz(self) -> str:
        return self.meta("tz") or "Europe/Paris"

    @property
    def catalog_version(self) -> str | None:
        row = self.con.execute(
            "SELECT catalog_version FROM scans ORDER BY scan_id DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def bind_tz(self, tz: str) -> None:
        """Record the establishment's time zone at the first scan; refuse a different one later."""
        current = self.meta("tz")
        if current is None:
            self.set_meta("tz", tz)
        elif current != tz:
            raise ConfigError(
                f"this store's periods are in {current}, not {tz}",
                hint=f"scan with --tz {current}, or use another --store for another time zone",
            )

    # -- writing ---------------------------------------------------------------------------
    @contextmanager
    def transaction(self, *, checkpoint: bool = False) -> Iterator[None]:
        """All or nothing; ``checkpoint`` writes the changes to the database file at commit.

        For a store closed right after: DuckDB would otherwise write its log at commit, and
        copy the log into the database file at close.
        """
        self.con.begin()
        try:
            yield
        except BaseException:
            self.con.rollback()
            raise
        if checkpoint:
            self.con.execute("SET checkpoint_threshold = '0b'")
        self.con.commit()
        if checkpoint:
            self.con.execute("RESET checkpoint_threshold")

    def limit_memory(self, limit: str) -> None:
        """Cap DuckDB's buffer pool (``"64MB"``) for this store's connection."""
        self.con.execute(f"SET memory_limit = '{limit}'")

    def limit_threads(self, threads: int) -> None:
        """Cap the threads DuckDB runs this store's statements on."""
        self.con.execute(f"SET threads = {int(threads)}")

    def known_quick_keys(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT quick_key FROM files").fetchall()}

    def has_legacy_fingerprints(self) -> bool:
        """True when files were stored with the fingerprint of before version 2 (no ``v2-``)."""
        row = self.con.execute(
            "SELECT count(*) FROM files WHERE fingerprint NOT LIKE 'v2-%'"
        ).fetchone()
        return bool(row and row[0])

    # (fetchall: a result left open would stop the connection's next register())
    def file_by_fingerprint(self, fingerprint: str) -> str | None:
        rows = self.con.execute(
            "SELECT name FROM files WHERE fingerprint = ? LIMIT 1", [fingerprint]
        ).fetchall()
        return rows[0][0] if rows else None

    def next_id(self, table: str, column: str) -> int:
        rows = self.con.execute(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchall()
        return int(rows[0][0]) if rows else 1

    def insert_row(self, table: str, row: dict[str, Any]) -> None:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.con.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))

    def insert_table(self, table: str, data: pa.Table) -> None:
        if data.num_rows:
            self.con.register("_incoming", data)
            try:
                cols = ", ".join(data.column_names)
                self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
            finally:
                self.con.unregister("_incoming")

    def insert_batches(
        self, table: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> None:
        """Insert rows that come a batch at a time, in one statement: DuckDB reads them as they
        come and writes full row groups to the file as it goes (memory stays flat)."""
        self.con.register("_incoming", pa.RecordBatchReader.from_batches(schema, batches))
        try:
            cols = ", ".join(schema.names)
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _incoming")
        finally:
            self.con.unregister("_incoming")

    # -- reading ---------------------------------------------------------------------------
    def periods(self) -> list[str]:
        rows = self.con.execute("SELECT DISTINCT period FROM hits ORDER BY period").fetchall()
        return [r[0] for r in rows]

    def metrics(
        self,
        by: Sequence[str] = (),
        period: str | None = None,
        protocol: str = "web",
        services: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """The pinned metrics grouped by ``by`` (see DIMENSIONS), for one period / some services."""
        unknown = [d for d in by if d not in DIMENSIONS]
        if unknown:
            raise ConfigError(
                f"unknown dimension(s): {', '.join(unknown)}",
                hint=f"choose among: {', '.join(DIMENSIONS)}",
            )
        dims = list(dict.fromkeys(by))
        select = "".join(f"{_dim_sql(d)} AS {d}, " for d in dims)
        sql = _sql("metrics.sql").format(
            dims=select,
            where=("AND period = $period " if period else "")
            + ("AND list_contains($services, service)" if services is not None else ""),
            group_by=f"GROUP BY {', '.join(dims)}" if dims else "",
            order_by=f"ORDER BY {', '.join(dims)}" if dims else "",
        )
        params: dict[str, Any] = {"protocol": protocol}
        if period:
            params["period"] = period
        if services is not None:
            params["services"] = list(services)
        cur = self.con.execute(sql, params)
        names = [c[0] for c in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        if not dims and rows and rows[0]["requests"] == 0:
            rows[0].update(bytes_out=None, bytes_in=None)
        from sentinelle.store import aggregates  # purged months: their monthly aggregates

        return aggregates.merge(self, rows, dims, period, protocol)

    def scan_summary(self, period: str | None = None) -> dict[str, Any]:
        """Totals over the stored files (all of them; ``period`` restricts the hit counts)."""
        row = self.con.execute(
            "SELECT count(*), coalesce(sum(lines),0), coalesce(sum(events),0), "
            "coalesce(sum(rejected),0), coalesce(sum(skipped),0), coalesce(sum(no_host_events),0),"
            " coalesce(sum(dns_events),0), min(first_ts), max(last_ts), "
            "list(DISTINCT format ORDER BY format) FROM files"
        ).fetchone()
        assert row is not None
        where, params = ("WHERE period = ?", [period]) if period else ("", [])
        hits = self.con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE NOT attributed) FROM hits {where}", params
        ).fetchone()
        assert hits is not None
        first, last = (t.replace(tzinfo=UTC) if t else None for t in (row[7], row[8]))
        return {
            "files": row[0],
            "lines": row[1],
            "events": row[2],
            "rejected": row[3],
            "skipped": row[4],
            "no_host_events": row[5],
            "dns_events": row[6],
            "first_ts": first,
            "last_ts": last,
            "formats": list(row[9] or []),
            "ai_events": hits[0],
            "unattributed_events": hits[1],
        }

    def discovery(self, period: str | None = None, limit: int = 30) -> list[dict[str, Any]]:
        """Hosts outside the catalog that look AI-related, ranked by distinct workstations."""
        where, params = ("WHERE period = ?", [period]) if period else ("", [])
        rows = self.con.execute(
            f"SELECT host, count(DISTINCT workstation) AS workstations, sum(requests) AS requests "
            f"FROM discovery {where} GROUP BY host ORDER BY workstations DESC, requests DESC, host "
            f"LIMIT {int(limit)}",
            params,
        ).fetchall()
        return [{"host": h, "workstations": w, "requests": int(r)} for h, w, r in rows]

    def files(self) -> list[dict[str, Any]]:
        cur = self.con.execute("SELECT * FROM files ORDER BY file_id")
        names = [c[0] for c in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _dim_sql(dim: str) -> str:
    return "strftime(day, '%Y-%m-%d')" if dim == "day" else dim


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
