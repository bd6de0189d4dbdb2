-- +goose Up
-- "My queue": one agent's open cases by the clock that runs out first.
CREATE INDEX cases_assignee_due ON cases (assignee, status, resolve_due_at, id);

-- +goose Down
DROP INDEX cases_assignee_due;
