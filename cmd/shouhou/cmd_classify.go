package main

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/shouhou/shouhou/internal/understand"
	"github.com/spf13/cobra"
)

// newClassifyCmd is `shouhou classify`: message understanding on stdin (docs/CLASSIFIER.md).
func newClassifyCmd() *cobra.Command {
	var evalFile, configFile, extDir string
	var misses bool
	cmd := &cobra.Command{
		Use:   "classify",
		Short: "Classify customer messages (one per line, plain or JSON with \"text\") into SOP §8 codes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := buildClassifier(configFile, extDir)
			if err != nil {
				return err
			}
			if evalFile == "" {
				return understand.RunClassify(cmd.Context(), c, cmd.InOrStdin(), cmd.OutOrStdout())
			}
			f, err := os.Open(evalFile)
			if err != nil {
				return fmt.Errorf("evaluation set: %w", err)
			}
			defer f.Close()
			rep, err := understand.RunEval(c, f, cmd.OutOrStdout())
			if err == nil && misses {
				err = rep.WriteMisses(cmd.OutOrStdout())
			}
			return err
		},
	}
	cmd.Flags().StringVar(&evalFile, "eval", "", "labelled JSON lines file: print per-field accuracy and per-type precision/recall")
	cmd.Flags().BoolVar(&misses, "misses", false, "with --eval: also print every misclassified example")
	cmd.Flags().StringVar(&configFile, "config", "", "classifier YAML config overriding the SOP defaults")
	cmd.Flags().StringVar(&extDir, "lexicons", "", "directory of the shop's extra lexicons (*.yaml, t2s*.txt, typos*.txt)")
	return cmd
}

func buildClassifier(configFile, extDir string) (*understand.Classifier, error) {
	cfg := understand.DefaultConfig()
	if configFile != "" {
		data, err := os.ReadFile(configFile)
		if err != nil {
			return nil, fmt.Errorf("classifier config: %w", err)
		}
		if cfg, err = understand.LoadConfig(data); err != nil {
			return nil, err
		}
	}
	var ext fs.FS
	if extDir != "" {
		ext = os.DirFS(extDir)
	}
	return understand.NewDefault(cfg, ext)
}
