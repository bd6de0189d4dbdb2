-- +goose Up
-- The training simulator (internal/training): what a trainer assigned, each practice
-- attempt with its own clock offset and score card, and the scenarios a supervisor made
-- from real cases. The practice cases themselves live in the training space (a store
-- of their own), never among the team's cases.
CREATE TABLE training_assignments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    trainee     TEXT    NOT NULL,
    scenario_id TEXT    NOT NULL,
    exam        INTEGER NOT NULL DEFAULT 0,
    assigned_by TEXT    NOT NULL,
    assigned_at BIGINT  NOT NULL
);
CREATE INDEX training_assignments_trainee ON training_assignments (trainee, id);

CREATE TABLE training_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id BIGINT  NOT NULL DEFAULT 0,
    trainee       TEXT    NOT NULL,
    scenario_id   TEXT    NOT NULL,
    exam          INTEGER NOT NULL DEFAULT 0,
    case_id       BIGINT  NOT NULL UNIQUE,
    offset_ms     BIGINT  NOT NULL DEFAULT 0,
    started_at    BIGINT  NOT NULL,
    finished_at   BIGINT,
    points        INTEGER NOT NULL DEFAULT 0,
    max_points    INTEGER NOT NULL DEFAULT 0,
    card          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX training_attempts_trainee ON training_attempts (trainee, id);
CREATE INDEX training_attempts_assignment ON training_attempts (assignment_id);

CREATE TABLE training_scenarios (
    id         TEXT   PRIMARY KEY,
    body       TEXT   NOT NULL,
    source_case BIGINT NOT NULL,
    created_by TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE training_scenarios;
DROP TABLE training_attempts;
DROP TABLE training_assignments;
