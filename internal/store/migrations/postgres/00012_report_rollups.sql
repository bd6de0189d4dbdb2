-- +goose Up
-- Report rollups (internal/report): each case's current contribution (its rollup
-- entries), and the daily sums by dimension and key. The desk subtracts a case's old
-- contribution and adds the new one in the transaction that writes the case, so reports
-- read days × keys rows, never the cases or their events.
CREATE TABLE report_facts (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    entries TEXT NOT NULL
);
CREATE TABLE report_daily (
    day TEXT NOT NULL,
    dim TEXT NOT NULL,
    rkey TEXT NOT NULL,
    vec TEXT NOT NULL,
    PRIMARY KEY (day, dim, rkey)
);
-- 产能 (dim output) is read by day over a whole range, apart from the other rows.
CREATE INDEX report_daily_dim ON report_daily (dim, day);

-- +goose Down
DROP TABLE report_daily;
DROP TABLE report_facts;
