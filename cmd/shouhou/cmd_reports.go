package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func newReportsCmd(g *globalFlags) *cobra.Command {
	reports := &cobra.Command{Use: "reports", Short: "The report rollups (报表)"}
	rebuild := &cobra.Command{
		Use:   "rebuild",
		Short: "Recompute the daily report rollups and quality marks of every case (after an upgrade); safe to run again",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd.Context(), g, func(st *sqlstore.Store, cfg config.Config) error {
				rules, err := sop.Load(sop.Files{Policy: cfg.PolicyFile, Calendar: cfg.CalendarFile, Playbooks: cfg.PlaybooksDir, Engine: cfg.GuideFile})
				if err != nil {
					return err
				}
				d := desk.New(desk.Opts{Store: st, SLA: cfg.SLA, Calendar: rules.Calendar, Quality: cfg.Alerts})
				n, err := d.RebuildReports(cmd.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "rebuilt the report rollups of %d cases\n", n)
				return nil
			})
		},
	}
	reports.AddCommand(rebuild)
	return reports
}
