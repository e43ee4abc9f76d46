"""Versioned schema migrations. Append a new script; never edit a released one.

`PRAGMA user_version` records how many have run; each runs in its own transaction.
"""

MIGRATIONS: list[str] = [
    # 1: cases, their items (for sub-order lookup), timeline, evidence, audit, clients
    """
    CREATE TABLE cases (
        id          TEXT PRIMARY KEY,
        order_id    TEXT NOT NULL UNIQUE,
        platform    TEXT NOT NULL,
        status      TEXT NOT NULL,
        order_json  TEXT NOT NULL,
        notes       TEXT NOT NULL DEFAULT '',
        shop_name   TEXT,
        title       TEXT,
        search_text TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX cases_status ON cases(status, updated_at);
    CREATE INDEX cases_updated ON cases(updated_at);

    CREATE TABLE case_items (
        case_id      TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        sub_order_id TEXT NOT NULL,
        PRIMARY KEY (case_id, sub_order_id)
    );
    CREATE INDEX case_items_sub ON case_items(sub_order_id);

    CREATE TABLE timeline (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id   TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        at        TEXT NOT NULL,
        kind      TEXT NOT NULL,
        text      TEXT NOT NULL,
        data_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX timeline_case ON timeline(case_id, id);

    CREATE TABLE evidence (
        id            TEXT PRIMARY KEY,
        case_id       TEXT NOT NULL REFERENCES cases(id),
        kind          TEXT NOT NULL,
        category      TEXT NOT NULL,
        title         TEXT NOT NULL,
        status        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        metadata_json TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX evidence_case ON evidence(case_id, created_at);

    CREATE TABLE artifacts (
        evidence_id TEXT NOT NULL REFERENCES evidence(id),
        role        TEXT NOT NULL,
        sha256      TEXT NOT NULL,
        size        INTEGER NOT NULL,
        media_type  TEXT NOT NULL,
        filename    TEXT NOT NULL,
        PRIMARY KEY (evidence_id, role)
    );

    CREATE TABLE audit (
        seq       INTEGER PRIMARY KEY,
        at        TEXT NOT NULL,
        case_id   TEXT,
        action    TEXT NOT NULL,
        data_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL
    );
    CREATE INDEX audit_case ON audit(case_id, seq);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    CREATE TABLE clients (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL,
        token_sha256 TEXT NOT NULL UNIQUE,
        created_at   TEXT NOT NULL,
        last_used_at TEXT,
        revoked_at   TEXT
    );
    """,
    # 2 (issue 3): the last signed manifest of each case (integrity.seal_case / verify_case)
    """
    CREATE TABLE manifests (
        case_id           TEXT PRIMARY KEY REFERENCES cases(id),
        manifest_json     TEXT NOT NULL,
        signature         TEXT NOT NULL,
        public_key_sha256 TEXT NOT NULL,
        signed_at         TEXT NOT NULL
    );
    """,
    # 3 (issue 4): complaint drafts, every version kept; the request is stored with its draft
    """
    CREATE TABLE drafts (
        case_id        TEXT NOT NULL REFERENCES cases(id),
        version        INTEGER NOT NULL,
        created_at     TEXT NOT NULL,
        complaint_type TEXT NOT NULL,
        demand_kind    TEXT NOT NULL,
        title          TEXT NOT NULL,
        text_sha256    TEXT NOT NULL,
        request_json   TEXT NOT NULL,
        draft_json     TEXT NOT NULL,
        PRIMARY KEY (case_id, version)
    );
    """,
    # 4 (issues 9, 10): a trigram full-text index for case search, each case's agenda
    # (deadlines, follow-ups: helper/store/agenda.py), and small settings of the store itself
    """
    ALTER TABLE cases ADD COLUMN search_rowid INTEGER;
    CREATE VIRTUAL TABLE cases_fts USING fts5(search_text, tokenize='trigram');
    INSERT INTO cases_fts (rowid, search_text) SELECT rowid, search_text FROM cases;
    UPDATE cases SET search_rowid = rowid;
    CREATE INDEX cases_search ON cases(search_rowid);

    CREATE TABLE agenda (
        case_id   TEXT NOT NULL REFERENCES cases(id),
        kind      TEXT NOT NULL,
        key       TEXT NOT NULL,
        label     TEXT NOT NULL,
        last_day  TEXT NOT NULL,
        ends_at   TEXT NOT NULL,
        confirmed INTEGER NOT NULL,
        PRIMARY KEY (case_id, key)
    );
    CREATE INDEX agenda_due ON agenda(kind, ends_at);

    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 5 (issue 12): the RFC 3161 timestamp of each case's sealed manifest, or why it has none
    """
    ALTER TABLE manifests ADD COLUMN timestamp_json TEXT;
    """,
    # 6 (issue 13): the buyer's draft choices per case (type, demand, items, notes, the
    # version looked at) and the dates the buyer stated, shared by every tab and the review UI
    """
    CREATE TABLE draft_state (
        case_id      TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        revision     INTEGER NOT NULL,
        choices_json TEXT NOT NULL,
        stated_json  TEXT NOT NULL,
        updated_at   TEXT NOT NULL
    );
    """,
    # 7 (issue 9, load): agenda indexes for "what is next": by time with the case id (the
    # deadline sort walks it in order and stops after one page), and per case
    """
    DROP INDEX agenda_due;
    CREATE INDEX agenda_due ON agenda(kind, ends_at, case_id);
    CREATE INDEX agenda_next ON agenda(case_id, kind, ends_at);
    """,
    # 8 (issue 9, load): two-character pairs of each case's search text, for the short
    # searches ("耳机", "牛奶") the trigram index cannot answer (cases.py)
    """
    CREATE TABLE case_pairs (
        pair         TEXT NOT NULL,
        search_rowid INTEGER NOT NULL,
        PRIMARY KEY (pair, search_rowid)
    ) WITHOUT ROWID;
    CREATE INDEX case_pairs_case ON case_pairs(search_rowid);
    WITH RECURSIVE p(rid, s, i) AS (
        SELECT search_rowid, search_text, 1 FROM cases WHERE length(search_text) > 1
        UNION ALL SELECT rid, s, i + 1 FROM p WHERE i < length(s) - 1
    )
    INSERT OR IGNORE INTO case_pairs SELECT substr(s, i, 2), rid FROM p WHERE instr(substr(s, i, 2), char(10)) = 0;
    """,
]
