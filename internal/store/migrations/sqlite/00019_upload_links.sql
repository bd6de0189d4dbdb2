-- +goose Up
-- The customer's upload links (internal/uploadlink): only the SHA-256 of the token is
-- kept; creation and revocation are also case events (upload_link.created/revoked).
CREATE TABLE upload_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT NOT NULL DEFAULT '',
    uploads    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX upload_links_case ON upload_links (case_id, id);

-- +goose Down
DROP TABLE upload_links;
