// Command shouhou is the after-sales desk: one binary that serves the API and the
// workbench, migrates and backs up its database, manages users and classifies
// customer messages.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "shouhou:", err)
		os.Exit(1)
	}
}

// globalFlags are the settings every data command shares.
type globalFlags struct {
	configFile string
	dataDir    string
	// create lets a command start a new installation (see requireInstallation).
	create bool
}

func newRootCmd() *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "shouhou",
		Short:         "shouhou 售后 — a self-hosted after-sales desk for e-commerce customer service",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionString(),
	}
	root.SetVersionTemplate("shouhou {{.Version}}\n")
	root.PersistentFlags().StringVar(&g.configFile, "config", os.Getenv("SHOUHOU_CONFIG"), "YAML configuration file (env SHOUHOU_CONFIG)")
	root.PersistentFlags().StringVar(&g.dataDir, "data", "", "data directory for the embedded database and evidence (env SHOUHOU_DATA)")
	root.AddCommand(newServeCmd(g), newDemoCmd(g), newMigrateCmd(g), newUserCmd(g), newBackupCmd(g), newClassifyCmd(), newCorpusCmd(g), newReportsCmd(g), newExportCmd(g), newImportCmd(g),
		newRestoreCmd(g), newConfigCmd())
	return root
}
