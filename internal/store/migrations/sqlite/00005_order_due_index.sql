-- +goose Up
-- An order number's cases in due order, with or without a status filter (the queue's
-- order search), without scanning every open case.
CREATE INDEX cases_order_due ON cases (order_no, status, resolve_due_at, id);

-- +goose Down
DROP INDEX cases_order_due;
