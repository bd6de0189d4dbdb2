package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
)

// addCreateFlag gives a command that may start a new installation its --create flag.
func addCreateFlag(cmd *cobra.Command, g *globalFlags) {
	cmd.Flags().BoolVar(&g.create, "create", false, "create a new, empty installation when the data directory holds no database (first install)")
}

// errNoInstallation explains a data directory without a database: most often a
// mistyped --data, SHOUHOU_DATA or data_dir, sometimes a first install.
type errNoInstallation struct{ path string }

func (e errNoInstallation) Error() string {
	return fmt.Sprintf("no shouhou database at %s: check --data, SHOUHOU_DATA or data_dir; "+
		"to start a new installation there, run `shouhou user add NAME --role admin --create` (or `shouhou serve --create`)", e.path)
}

// requireInstallation refuses an embedded database that does not exist yet unless
// create is set, so that a mistyped path is an error instead of a fresh, empty
// installation that looks like success. PostgreSQL databases are created by their
// administrator; the URL either connects or fails.
func requireInstallation(cfg config.Config, create bool) error {
	if cfg.DatabaseURL != "" {
		return nil
	}
	if fi, err := os.Stat(cfg.DataDir); err == nil && !fi.IsDir() {
		return fmt.Errorf("data_dir %s is a file, not a directory", cfg.DataDir)
	}
	_, err := os.Stat(cfg.SQLitePath())
	switch {
	case err == nil:
		return nil
	case !errors.Is(err, fs.ErrNotExist):
		return err
	case create:
		fmt.Fprintf(os.Stderr, "shouhou: creating a new installation at %s\n", cfg.SQLitePath())
		return os.MkdirAll(cfg.DataDir, 0o750)
	}
	return errNoInstallation{cfg.SQLitePath()}
}
