-- +goose Up
-- A shop's changes to the script library (话术库): a row replaces the built-in script
-- with the same id, adds a new one, or (deleted = 1) hides it.
CREATE TABLE script_overrides (
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE script_overrides;
