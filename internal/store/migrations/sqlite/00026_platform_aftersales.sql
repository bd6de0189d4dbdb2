-- +goose Up
-- The platforms' after-sale records (internal/platform): one row per (platform, shop
-- code, platform after-sale id), pointing to the case it opened; written in the case's
-- transaction together with its platform.* event, so a re-import finds the case and
-- creates nothing twice. shop_code '' is the business's only shop.
CREATE TABLE platform_aftersales (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    platform     TEXT NOT NULL,
    shop_code    TEXT NOT NULL DEFAULT '',
    aftersale_id TEXT NOT NULL,
    case_id      INTEGER NOT NULL REFERENCES cases (id),
    order_no     TEXT NOT NULL DEFAULT '',
    type         TEXT NOT NULL DEFAULT '',
    raw_status   TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    intervention TEXT NOT NULL DEFAULT '',
    refund_fen   INTEGER NOT NULL DEFAULT 0,
    deadline_at  INTEGER,
    updated_at   INTEGER NOT NULL,
    UNIQUE (platform, shop_code, aftersale_id)
);
CREATE INDEX platform_aftersales_case ON platform_aftersales (case_id);

-- A connector's position in the platform's change feed, saved only after the batch it
-- read was committed.
CREATE TABLE platform_cursors (
    name       TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- API token scopes: '' is full access as the token's user (every token made before);
-- 'intake' may call only the intake endpoints.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN scopes;
DROP TABLE platform_cursors;
DROP TABLE platform_aftersales;
