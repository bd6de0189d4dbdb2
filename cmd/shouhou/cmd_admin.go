package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func newMigrateCmd(g *globalFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Upgrade the database schema (with --create: create a new database)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd.Context(), g, func(*sqlstore.Store, config.Config) error {
				fmt.Fprintln(cmd.OutOrStdout(), "database is up to date")
				return nil
			})
		},
	}
	addCreateFlag(cmd, g)
	return cmd
}
