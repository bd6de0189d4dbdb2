package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
)

func newConfigCmd() *cobra.Command {
	cfg := &cobra.Command{Use: "config", Short: "The configuration keys"}
	cfg.AddCommand(&cobra.Command{
		Use:   "reference",
		Short: "Print every configuration key with its default as Markdown (docs/CONFIG.md)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprint(cmd.OutOrStdout(), config.Reference())
			return err
		},
	})
	return cfg
}
