-- +goose Up
-- The SOP changes an admin applied in the workbench (audit log): kind policy is a money
-- policy file (YAML, validated as at start-up) that replaces the shop's file until the
-- next change; the newest row is in force.
CREATE TABLE sop_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    summary    TEXT   NOT NULL,
    changed_by TEXT   NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX sop_changes_kind ON sop_changes (kind, seq);

-- +goose Down
DROP TABLE sop_changes;
