-- +goose Up
CREATE TABLE cases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    version         INTEGER NOT NULL,
    platform        TEXT NOT NULL,
    order_no        TEXT NOT NULL,
    customer_name   TEXT NOT NULL,
    customer_phone  TEXT NOT NULL DEFAULT '',
    type            TEXT NOT NULL,
    demand          TEXT NOT NULL,
    emotion         TEXT NOT NULL,
    level           INTEGER NOT NULL,
    stage           TEXT NOT NULL,
    status          TEXT NOT NULL,
    assignee        TEXT NOT NULL DEFAULT '',
    amount_fen      INTEGER NOT NULL,
    description     TEXT NOT NULL,
    remarked        INTEGER NOT NULL DEFAULT 0,
    last_remark     TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER,
    response_due_at INTEGER,
    resolve_due_at  INTEGER,
    merged_into     INTEGER,
    state           TEXT NOT NULL
);
CREATE INDEX cases_order ON cases (order_no, platform);
CREATE INDEX cases_stage ON cases (stage, id);
CREATE INDEX cases_type ON cases (type, id);
CREATE INDEX cases_assignee ON cases (assignee, status, id);
CREATE INDEX cases_due ON cases (status, resolve_due_at, id);
CREATE INDEX cases_created ON cases (created_at, id);

CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id  INTEGER NOT NULL REFERENCES cases (id),
    seq      INTEGER NOT NULL,
    type     TEXT NOT NULL,
    actor    TEXT NOT NULL,
    at       INTEGER NOT NULL,
    payload  TEXT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_type ON case_events (type, at);

CREATE TABLE idempotency_keys (
    actor      TEXT NOT NULL,
    key        TEXT NOT NULL,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (actor, key)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    name       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE idempotency_keys;
DROP TABLE case_events;
DROP TABLE cases;
