package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func newMigrateCmd(g *globalFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the database schema",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd.Context(), g, func(*sqlstore.Store, config.Config) error {
				fmt.Fprintln(cmd.OutOrStdout(), "database is up to date")
				return nil
			})
		},
	}
}

func newUserCmd(g *globalFlags) *cobra.Command {
	user := &cobra.Command{Use: "user", Short: "Manage users"}
	var n auth.NewUser
	var role string
	add := &cobra.Command{
		Use:   "add USERNAME",
		Short: "Add a user (password from --password or env SHOUHOU_PASSWORD)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withStore(cmd.Context(), g, func(st *sqlstore.Store, _ config.Config) error {
				am, err := auth.New(auth.Opts{Store: st})
				if err != nil {
					return err
				}
				n.Username, n.Role = args[0], store.Role(role)
				if n.Password == "" {
					n.Password = os.Getenv("SHOUHOU_PASSWORD")
				}
				u, err := am.AddUser(cmd.Context(), n)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "added %s (%s), id %d\n", u.Username, u.Role, u.ID)
				return nil
			})
		},
	}
	add.Flags().StringVar(&role, "role", "agent", "agent (客服), supervisor (主管) or admin (管理员)")
	add.Flags().StringVar(&n.Password, "password", "", "password, at least 8 characters")
	add.Flags().StringVar(&n.DisplayName, "name", "", "display name")
	user.AddCommand(add)
	return user
}

func newBackupCmd(g *globalFlags) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Write a consistent copy of the embedded database while it is in use",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd.Context(), g, func(st *sqlstore.Store, cfg config.Config) error {
				if out == "" {
					out = filepath.Join(cfg.DataDir, "backups", "shouhou-"+time.Now().Format("20060102-150405")+".db")
				}
				if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
					return err
				}
				if err := st.Backup(cmd.Context(), out); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "backup written to", out)
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "backup file (default DATA/backups/shouhou-TIME.db)")
	return cmd
}
