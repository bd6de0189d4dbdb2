package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func newCorpusCmd(g *globalFlags) *cobra.Command {
	corpus := &cobra.Command{Use: "corpus", Short: "The labelled message corpus"}
	var out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the first messages of real cases with the agents' final labels as JSON lines",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd.Context(), g, func(st *sqlstore.Store, _ config.Config) error {
				var w io.Writer = cmd.OutOrStdout()
				var file *os.File
				if out != "" {
					var err error
					if file, err = os.Create(out); err != nil {
						return err
					}
					defer file.Close()
					w = file
				}
				n, err := desk.ExportCorpus(cmd.Context(), st, w)
				if err != nil {
					return err
				}
				if file != nil {
					if err := file.Close(); err != nil {
						return fmt.Errorf("write %s: %w", out, err)
					}
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "exported %d labelled messages\n", n)
				return nil
			})
		},
	}
	export.Flags().StringVarP(&out, "out", "o", "", "output file (default standard output)")
	corpus.AddCommand(export)
	return corpus
}
