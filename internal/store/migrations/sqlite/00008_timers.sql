-- +goose Up
-- Durable timers (internal/timers): one row per running clock of a case, written in the
-- same transaction as the event that starts, moves or cancels it, deleted in the
-- transaction that fires it (and appends timer.fired).
CREATE TABLE case_timers (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    kind    TEXT NOT NULL,
    due_at  INTEGER NOT NULL,
    payload TEXT NOT NULL,
    UNIQUE (case_id, kind)
);
CREATE INDEX case_timers_due ON case_timers (due_at, id);
-- Open first-response deadlines (NULL once answered), for the 首次响应超时 filter.
CREATE INDEX cases_response_due ON cases (status, response_due_at, id);

-- +goose Down
DROP INDEX cases_response_due;
DROP TABLE case_timers;
