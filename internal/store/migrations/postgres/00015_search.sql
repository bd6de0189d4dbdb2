-- +goose Up
-- Search (issue 17). case_keys holds each case's whole identifiers, lowered: order
-- number, tracking number, phone and its last 4 digits, customer name, SKU and batch,
-- and the name's one- and two-character pieces; an exact hit is one index lookup
-- whatever the query's length. case_search holds the
-- same fields and the description with a pg_trgm GIN index: ILIKE substrings of 3+
-- characters, Chinese included, are index lookups. Both are written in the transaction
-- that writes the case (sqlstore/search.go). pg_trgm is a trusted extension (PostgreSQL
-- 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE case_keys (
    key     TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    PRIMARY KEY (key, case_id)
);
CREATE TABLE case_search (
    case_id BIGINT PRIMARY KEY REFERENCES cases (id),
    body    TEXT NOT NULL
);

INSERT INTO case_search (case_id, body)
SELECT id, customer_name || chr(10) || customer_phone || chr(10) || order_no || chr(10) ||
       coalesce(state->>'tracking_no', '') || chr(10) || coalesce(state->>'sku', '') || chr(10) ||
       coalesce(state->>'batch', '') || chr(10) || description
FROM cases;
-- The operator class is named with the schema the extension lives in, which need not
-- be on the search path.
-- +goose StatementBegin
DO $$
DECLARE s text;
BEGIN
    SELECT n.nspname INTO s FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX case_search_trgm ON case_search USING gin (body %I.gin_trgm_ops)', s);
END $$;
-- +goose StatementEnd

INSERT INTO case_keys (key, case_id)
SELECT DISTINCT lower(trim(v)), id FROM (
    SELECT id, order_no AS v FROM cases
    UNION ALL SELECT id, customer_name FROM cases
    UNION ALL SELECT id, customer_phone FROM cases
    UNION ALL SELECT id, right(customer_phone, 4) FROM cases WHERE length(customer_phone) > 4
    UNION ALL SELECT id, state->>'tracking_no' FROM cases
    UNION ALL SELECT id, state->>'sku' FROM cases
    UNION ALL SELECT id, state->>'batch' FROM cases
) k WHERE v IS NOT NULL AND trim(v) <> '';

-- Every one- and two-character piece of the name (a surname finds its customers).
INSERT INTO case_keys (key, case_id)
SELECT DISTINCT g, id FROM (
    SELECT id, lower(substr(trim(customer_name), i, 1)) AS g
    FROM cases, generate_series(1, char_length(trim(customer_name))) i
    UNION ALL SELECT id, lower(substr(trim(customer_name), i, 2))
    FROM cases, generate_series(1, char_length(trim(customer_name)) - 1) i
) k
ON CONFLICT DO NOTHING;

-- +goose Down
DROP TABLE case_search;
DROP TABLE case_keys;
