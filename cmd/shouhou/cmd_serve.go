package main

import (
	"log/slog"

	"github.com/spf13/cobra"
)

func newServeCmd(g *globalFlags) *cobra.Command {
	var addr string
	var clk clockFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the API (and the workbench) on --addr",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(g, addr)
			if err != nil {
				return err
			}
			if err := requireInstallation(cfg, g.create); err != nil {
				return err
			}
			if err := clk.apply(&cfg); err != nil {
				return err
			}
			a, err := newApp(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer a.close()
			return a.serve(cmd.Context(), func(at string) {
				a.logger.Info("shouhou serving", slog.String("addr", "http://"+at), slog.String("data", cfg.DataDir), slog.Bool("postgres", cfg.DatabaseURL != ""))
			})
		},
	}
	addCreateFlag(cmd, g)
	cmd.Flags().StringVar(&addr, "addr", "", "listen address HOST:PORT (env SHOUHOU_ADDR, default 127.0.0.1:8080)")
	clk.register(cmd)
	return cmd
}
