-- +goose Up
-- The agent's public name in chats (工号, e.g. 客服8号) fills {客服工号} in scripts.
ALTER TABLE users ADD COLUMN agent_no TEXT NOT NULL DEFAULT '';
-- The shop's settings (shop name, return addresses) as one JSON document per key;
-- they fill {店铺名} and {退货地址}.
CREATE TABLE shop_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE shop_settings;
ALTER TABLE users DROP COLUMN agent_no;
