// Package migrations holds the versioned schema, one folder per SQL dialect, applied
// by goose.
package migrations

import "embed"

// FS holds sqlite/*.sql and postgres/*.sql.
//
//go:embed sqlite/*.sql postgres/*.sql
var FS embed.FS
