-- +goose Up
-- Every list filter on an index (issue 17; the plan test in sqlstore/plan_test.go fails
-- on a filter without one): level, platform, status and assignee in id order, and the
-- whole list in due order.
CREATE INDEX cases_level ON cases (level, id);
CREATE INDEX cases_platform ON cases (platform, id);
CREATE INDEX cases_status ON cases (status, id);
CREATE INDEX cases_due_all ON cases (resolve_due_at, id);
-- One agent's cases (and the unassigned ones) newest first without sorting them all.
CREATE INDEX cases_assignee_recent ON cases (assignee, id);

-- +goose Down
DROP INDEX cases_assignee_recent;
DROP INDEX cases_due_all;
DROP INDEX cases_status;
DROP INDEX cases_platform;
DROP INDEX cases_level;
