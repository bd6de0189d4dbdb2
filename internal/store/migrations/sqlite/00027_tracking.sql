-- +goose Up
-- Parcels (internal/tracking, docs/TRACKING.md): every tracking number of a case is a
-- row written in the case's own transaction; a row without subscribed_at is a
-- subscription still to make (the follower's outbox), next_at when it is next
-- subscribed or polled. tracking_scans keeps the scans already recorded on a case, so a
-- push or poll repeating one (number, time, status) is ignored.
CREATE TABLE tracking_numbers (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id       INTEGER NOT NULL REFERENCES cases (id),
    number        TEXT NOT NULL,
    courier       TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    added_at      INTEGER NOT NULL,
    subscribed_at INTEGER,
    next_at       INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT '',
    last_scan_at  INTEGER,
    final         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (case_id, number)
);
CREATE INDEX tracking_numbers_number ON tracking_numbers (number);
CREATE INDEX tracking_numbers_due ON tracking_numbers (final, next_at);

CREATE TABLE tracking_scans (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    number  TEXT NOT NULL,
    at      INTEGER NOT NULL,
    status  TEXT NOT NULL,
    PRIMARY KEY (case_id, number, at, status)
);

-- The warehouse's parcels that matched no case (未知包裹), until an agent claims one.
CREATE TABLE unknown_parcels (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    number      TEXT NOT NULL,
    courier     TEXT NOT NULL DEFAULT '',
    items       TEXT NOT NULL DEFAULT '[]',
    good        INTEGER NOT NULL DEFAULT 0,
    bad         INTEGER NOT NULL DEFAULT 0,
    photos      TEXT NOT NULL DEFAULT '[]',
    remark      TEXT NOT NULL DEFAULT '',
    received_by TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    claimed_by  TEXT NOT NULL DEFAULT '',
    claimed_at  INTEGER,
    case_id     INTEGER REFERENCES cases (id)
);
CREATE INDEX unknown_parcels_open ON unknown_parcels (claimed_at, id);

-- +goose Down
DROP TABLE unknown_parcels;
DROP TABLE tracking_scans;
DROP TABLE tracking_numbers;
