-- +goose Up
-- Shops (issue 13): a business runs several shops; cases belong to one, agents serve
-- some. The single shop's settings (shop_settings 'shop') become shop #1, on the
-- platform most of the existing cases came from (taobao without cases), and every
-- existing case is put in it. Shop #1 is created at the migration's time (ms since
-- 1970, as every timestamp); its updated_at is the old settings' last change, if any.
CREATE TABLE shops (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    code             TEXT NOT NULL UNIQUE,
    platform         TEXT NOT NULL,
    name             TEXT NOT NULL,
    return_addresses TEXT NOT NULL DEFAULT '[]',
    overrides        TEXT NOT NULL DEFAULT '{}',
    updated_by       TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
INSERT INTO shops (id, code, platform, name, return_addresses, created_at, updated_at)
SELECT 1, 'main',
    COALESCE((SELECT platform FROM cases GROUP BY platform ORDER BY count(*) DESC, platform LIMIT 1), 'taobao'),
    COALESCE((SELECT json_extract(value, '$.name') FROM shop_settings WHERE key = 'shop'), ''),
    COALESCE((SELECT json_extract(value, '$.return_addresses') FROM shop_settings WHERE key = 'shop'), '[]'),
    CAST(strftime('%s', 'now') AS INTEGER) * 1000,
    COALESCE((SELECT max(updated_at) FROM shop_settings), CAST(strftime('%s', 'now') AS INTEGER) * 1000);
ALTER TABLE cases ADD COLUMN shop_id INTEGER NOT NULL DEFAULT 1;
UPDATE cases SET state = json_set(state, '$.shop_id', 1);
-- The list filter shop= (and an agent's shops) in id order.
CREATE INDEX cases_shop ON cases (shop_id, id);
-- The shops an agent serves (comma-separated ids, empty for all).
ALTER TABLE agent_profiles ADD COLUMN shops TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE agent_profiles DROP COLUMN shops;
DROP INDEX cases_shop;
ALTER TABLE cases DROP COLUMN shop_id;
DROP TABLE shops;
