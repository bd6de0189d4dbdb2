-- +goose Up
-- Dispatch (internal/dispatch): an agent's tier (levels handled, comma-separated, empty
-- for all), platforms served (empty for all), status and when they last got a case.
CREATE TABLE agent_profiles (
    username         TEXT PRIMARY KEY,
    levels           TEXT NOT NULL DEFAULT '',
    platforms        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'off',
    last_assigned_at BIGINT NOT NULL DEFAULT 0,
    updated_at       BIGINT NOT NULL
);
-- The 待分配 queue: open cases nobody works, oldest deadline first.
CREATE INDEX cases_unassigned ON cases (status, assignee, resolve_due_at, id);

-- +goose Down
DROP INDEX cases_unassigned;
DROP TABLE agent_profiles;
