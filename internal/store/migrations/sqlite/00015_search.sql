-- +goose Up
-- Search (issue 17). case_keys holds each case's whole identifiers, lowered: order
-- number, tracking number, phone and its last 4 digits, customer name, SKU and batch,
-- and the name's one- and two-character pieces; an exact hit is one index lookup
-- whatever the query's length. case_search is an FTS5
-- table with the trigram tokenizer (rowid = case id) over the same fields and the
-- description: substrings of 3+ characters, Chinese included, are index lookups. Both
-- are written in the transaction that writes the case (sqlstore/search.go).
CREATE TABLE case_keys (
    key     TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases (id),
    PRIMARY KEY (key, case_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE case_search USING fts5(body, tokenize = 'trigram');

INSERT INTO case_search (rowid, body)
SELECT id, customer_name || char(10) || customer_phone || char(10) || order_no || char(10) ||
       coalesce(json_extract(state, '$.tracking_no'), '') || char(10) ||
       coalesce(json_extract(state, '$.sku'), '') || char(10) ||
       coalesce(json_extract(state, '$.batch'), '') || char(10) || description
FROM cases;

INSERT OR IGNORE INTO case_keys (key, case_id)
SELECT lower(trim(v)), id FROM (
    SELECT id, order_no AS v FROM cases
    UNION ALL SELECT id, customer_name FROM cases
    UNION ALL SELECT id, customer_phone FROM cases
    UNION ALL SELECT id, substr(customer_phone, -4) FROM cases WHERE length(customer_phone) > 4
    UNION ALL SELECT id, json_extract(state, '$.tracking_no') FROM cases
    UNION ALL SELECT id, json_extract(state, '$.sku') FROM cases
    UNION ALL SELECT id, json_extract(state, '$.batch') FROM cases
) WHERE v IS NOT NULL AND trim(v) <> '';

-- Every one- and two-character piece of the name (a surname finds its customers).
INSERT OR IGNORE INTO case_keys (key, case_id)
WITH RECURSIVE g (id, name, i) AS (
    SELECT id, trim(customer_name), 1 FROM cases WHERE trim(customer_name) <> ''
    UNION ALL SELECT id, name, i + 1 FROM g WHERE i < length(name)
)
SELECT lower(substr(name, i, 1)), id FROM g
UNION ALL SELECT lower(substr(name, i, 2)), id FROM g WHERE i < length(name);

-- +goose Down
DROP TABLE case_search;
DROP TABLE case_keys;
