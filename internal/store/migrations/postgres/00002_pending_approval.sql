-- +goose Up
ALTER TABLE cases ADD COLUMN pending_approval BIGINT NOT NULL DEFAULT 0;
CREATE INDEX cases_pending_approval ON cases (pending_approval, id);

-- +goose Down
DROP INDEX cases_pending_approval;
ALTER TABLE cases DROP COLUMN pending_approval;
