-- +goose Up
-- Payouts (小额打款): the compensations and price-difference refunds being paid, one row
-- per execution, written with the case in the same transaction. ready = 1: on the
-- payer's list (approved or failed, payee known, the good review confirmed if awaited).
CREATE TABLE payouts (
    case_id       BIGINT NOT NULL,
    solution_id   BIGINT NOT NULL,
    kind          TEXT   NOT NULL,
    state         TEXT   NOT NULL,
    ready         BIGINT NOT NULL,
    amount_fen    BIGINT NOT NULL,
    channel       TEXT   NOT NULL,
    account       TEXT   NOT NULL,
    payee_name    TEXT   NOT NULL,
    after_review  BIGINT NOT NULL,
    platform      TEXT   NOT NULL,
    order_no      TEXT   NOT NULL,
    customer_name TEXT   NOT NULL,
    reference     TEXT   NOT NULL,
    reason        TEXT   NOT NULL,
    opened_at     BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    paid_at       BIGINT,
    PRIMARY KEY (case_id, solution_id)
);
CREATE INDEX payouts_state ON payouts (state, ready, updated_at);
CREATE INDEX payouts_paid ON payouts (paid_at);

-- +goose Down
DROP TABLE payouts;
