-- +goose Up
-- Photo thumbnails (internal/blob.Thumbnail) made on first view: the evidence file's
-- hash and the hash of its thumbnail in the same evidence store.
CREATE TABLE evidence_thumbs (
    hash       TEXT PRIMARY KEY,
    thumb      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE evidence_thumbs;
