-- +goose Up
-- Quality alerts (internal/quality): each case's marks (SKU+batch of a quality case, the
-- courier of a damaged parcel), replaced in the transaction that writes the case, and one
-- alert per kind and key listing the cases that raised it.
CREATE TABLE quality_marks (
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind    TEXT NOT NULL,
    mark    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (case_id, kind)
);
CREATE INDEX quality_marks_key ON quality_marks (kind, mark, at);

CREATE TABLE quality_alerts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    mark       TEXT NOT NULL,
    case_ids   TEXT NOT NULL,
    text       TEXT NOT NULL,
    status     TEXT NOT NULL,
    first_at   INTEGER NOT NULL,
    last_at    INTEGER NOT NULL,
    ack_by     TEXT NOT NULL DEFAULT '',
    ack_note   TEXT NOT NULL DEFAULT '',
    ack_at     INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    UNIQUE (kind, mark)
);
CREATE INDEX quality_alerts_status ON quality_alerts (status, updated_at);

-- +goose Down
DROP TABLE quality_alerts;
DROP TABLE quality_marks;
