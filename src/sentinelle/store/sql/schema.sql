-- The sentinelle store. Identities are pseudonyms (HMAC); no URL path or query is ever stored.
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE IF NOT EXISTS scans (
    scan_id INTEGER PRIMARY KEY,
    started_at TIMESTAMP, finished_at TIMESTAMP,
    version VARCHAR, catalog_version VARCHAR, tz VARCHAR,
    files INTEGER, lines BIGINT, events BIGINT, rejected BIGINT, ai_events BIGINT
);

CREATE TABLE IF NOT EXISTS files (
    file_id INTEGER PRIMARY KEY,
    scan_id INTEGER,
    name VARCHAR, format VARCHAR, compression VARCHAR,
    fingerprint VARCHAR UNIQUE, quick_key VARCHAR,
    size BIGINT, content_bytes BIGINT,
    lines BIGINT, events BIGINT, skipped BIGINT, rejected BIGINT,
    ai_events BIGINT, shared_events BIGINT, no_host_events BIGINT,
    unattributed_events BIGINT, excluded_events BIGINT, dns_events BIGINT,
    first_ts TIMESTAMP, last_ts TIMESTAMP
);

-- One row per log event that matched a catalog service (primary or auxiliary evidence).
CREATE TABLE IF NOT EXISTS hits (
    file_id INTEGER,
    seq BIGINT,                 -- line number in the file: a stable tie-breaker
    ts TIMESTAMP,               -- UTC
    period VARCHAR,             -- YYYY-MM in the establishment's time zone
    day DATE, hour TINYINT, weekday TINYINT,
    protocol VARCHAR,           -- 'web' (proxy, firewall, SNI) or 'dns' (queries)
    service VARCHAR, category VARCHAR, evidence VARCHAR, general_purpose BOOLEAN,
    host VARCHAR,
    workstation VARCHAR, user_id VARCHAR,
    site VARCHAR, department VARCHAR, role VARCHAR, attributed BOOLEAN,
    blocked BOOLEAN, bytes_out BIGINT, bytes_in BIGINT,
    observer VARCHAR
);

CREATE TABLE IF NOT EXISTS rejects (file_id INTEGER, line BIGINT, reason VARCHAR);

-- Hosts outside the catalog that look AI-related (discovery), per workstation pseudonym.
CREATE TABLE IF NOT EXISTS discovery (
    file_id INTEGER, period VARCHAR, host VARCHAR, workstation VARCHAR, requests BIGINT
);
