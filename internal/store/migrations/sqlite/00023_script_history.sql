-- +goose Up
-- Every change a supervisor made to the script library (话术库), oldest first: saved
-- (body is the script), hidden, or restored to the built-in version.
CREATE TABLE script_history (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT   NOT NULL,
    action     TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    changed_by TEXT   NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX script_history_id ON script_history (id, seq);

-- +goose Down
DROP TABLE script_history;
