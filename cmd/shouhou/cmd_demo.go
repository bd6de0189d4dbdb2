package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/demo"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/dispatch"
	"github.com/shouhou/shouhou/internal/store"
)

func newDemoCmd(g *globalFlags) *cobra.Command {
	var addr string
	var clk clockFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve a demo with sample cases on the embedded database",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.dataDir == "" && os.Getenv("SHOUHOU_DATA") == "" {
				dir, err := os.MkdirTemp("", "shouhou-demo-")
				if err != nil {
					return err
				}
				g.dataDir = dir
			}
			if addr == "" && os.Getenv("SHOUHOU_ADDR") == "" {
				addr = "127.0.0.1:8080"
			}
			cfg, err := loadConfig(g, addr)
			if err != nil {
				return err
			}
			if err := clk.apply(&cfg); err != nil {
				return err
			}
			cfg.DatabaseURL = ""
			if err := claimDemoDir(cfg.DataDir); err != nil {
				return err
			}
			a, err := newApp(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer a.close()
			page, err := a.store.ListCases(cmd.Context(), store.CaseFilter{Limit: 1})
			if err != nil {
				return err
			}
			if len(page.Cases) == 0 {
				if err := demo.Seed(cmd.Context(), a.deskOpts, a.sop.Flows, a.auth, a.blobs, a.clock.Now()); err != nil {
					return err
				}
				if _, err := a.desk.UpdateShop(cmd.Context(), desk.Actor{Name: "admin", Role: store.RoleAdmin}, demo.Shop); err != nil {
					return err
				}
				// The demo's agents start online, so new cases are dispatched to them.
				for _, u := range demo.Users {
					if u.Role == store.RoleAgent {
						p := dispatch.Profile{Username: u.Username, Status: dispatch.Online}
						if err := a.store.PutAgentProfile(cmd.Context(), p, a.clock.Now()); err != nil {
							return err
						}
					}
				}
			}
			return a.serve(cmd.Context(), func(at string) {
				out := cmd.OutOrStdout()
				fmt.Fprintf(out, "shouhou demo: http://%s  (data in %s)\n", at, cfg.DataDir)
				for _, u := range demo.Users {
					fmt.Fprintf(out, "  %-10s %-10s password %s\n", u.Role, u.Username, u.Password)
				}
				fmt.Fprintf(out, "try: curl -s -c /tmp/shouhou.cookies -H 'Content-Type: application/json' -d '{\"username\":\"xiaomei\",\"password\":\"shouhou-demo\"}' http://%s/api/v1/auth/login\n", at)
				fmt.Fprintf(out, "     curl -s -b /tmp/shouhou.cookies http://%s/api/v1/cases\n", at)
			})
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen address HOST:PORT (default 127.0.0.1:8080)")
	clk.register(cmd)
	return cmd
}

// demoMarker marks a data directory as the demo's: the demo seeds fake cases and
// publicly known accounts, so it writes only into an empty (or new) folder or one that
// a previous demo marked, never into a real installation.
const demoMarker = ".shouhou-demo"

func claimDemoDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
	case err != nil:
		return fmt.Errorf("demo data directory: %w", err)
	case len(entries) > 0:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err == nil {
			return nil // a previous demo: reuse it
		}
		return fmt.Errorf("%s holds data that is not a shouhou demo: the demo writes sample cases and publicly known passwords, "+
			"so it only uses an empty folder or a previous demo's (leave out --data and SHOUHOU_DATA for a temporary one)", dir)
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("shouhou demo data: sample cases and public demo passwords\n"), 0o640)
}
