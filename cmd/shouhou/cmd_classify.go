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
	var evalFile, configFile, extDir, learnedFile string
	var misses, conversation, reliability, fit bool
	cmd := &cobra.Command{
		Use:   "classify",
		Short: "Classify customer messages (one per line, plain or JSON with \"text\", \"conversation\" or \"turns\"), or with -c one pasted conversation, into SOP §8 codes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := buildClassifier(configFile, extDir, learnedFile)
			if err != nil {
				return err
			}
			if conversation {
				return understand.RunConversation(c, cmd.InOrStdin(), cmd.OutOrStdout())
			}
			if evalFile == "" {
				return understand.RunClassify(cmd.Context(), c, cmd.InOrStdin(), cmd.OutOrStdout())
			}
			f, err := os.Open(evalFile)
			if err != nil {
				return fmt.Errorf("evaluation set: %w", err)
			}
			defer f.Close()
			exs, err := understand.ReadExamples(f)
			if err != nil {
				return fmt.Errorf("evaluation set: %w", err)
			}
			out := cmd.OutOrStdout()
			if fit {
				cal := understand.FitCalibration(c, exs)
				_, err := fmt.Fprintf(out, "calibration: {type: %v, demand: %v, emotion: %v, level: %v}\n", cal.Type, cal.Demand, cal.Emotion, cal.Level)
				return err
			}
			rep := understand.Evaluate(c, exs)
			if err := rep.WriteText(out); err != nil {
				return err
			}
			if reliability {
				fmt.Fprintln(out)
				if err := understand.MeasureReliability(c, exs).WriteText(out); err != nil {
					return err
				}
			}
			if misses {
				return rep.WriteMisses(out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&evalFile, "eval", "", "labelled JSON lines file: print per-field accuracy and per-type precision/recall")
	cmd.Flags().BoolVarP(&conversation, "conversation", "c", false, "read all of standard input as one pasted conversation (千牛/京麦/抖店/拼多多 copy, or 顾客：/客服： lines)")
	cmd.Flags().BoolVar(&reliability, "reliability", false, "with --eval: also print the reliability table of the confidences")
	cmd.Flags().BoolVar(&fit, "fit-calibration", false, "with --eval: print the softmax temperatures that calibrate the confidences on this (held-out) set")
	cmd.Flags().BoolVar(&misses, "misses", false, "with --eval: also print every misclassified example")
	cmd.PersistentFlags().StringVar(&configFile, "config", "", "classifier YAML config overriding the SOP defaults")
	cmd.PersistentFlags().StringVar(&extDir, "lexicons", "", "directory of the shop's extra lexicons (*.yaml, t2s*.txt, typos*.txt)")
	cmd.PersistentFlags().StringVar(&learnedFile, "learned", "", "the shop's labelled cases (shouhou corpus export -o FILE) to learn from, weighted over the built-in corpus")
	cmd.AddCommand(newClassifyTrainCmd(&configFile, &extDir, &learnedFile))
	return cmd
}

// newClassifyTrainCmd is `shouhou classify train`: retrain the model with the shop's
// own labelled cases and show what it changes on an evaluation set.
func newClassifyTrainCmd(configFile, extDir, learnedFile *string) *cobra.Command {
	var evalFile string
	cmd := &cobra.Command{
		Use:   "train",
		Short: "Retrain the classifier with the shop's labelled cases (--learned FILE from corpus export) and compare on --eval FILE",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if *learnedFile == "" {
				return fmt.Errorf("classify train: --learned FILE is required (write it with: shouhou corpus export -o FILE)")
			}
			learned, err := understand.LoadLearned(*learnedFile)
			if err != nil {
				return err
			}
			after, err := buildClassifier(*configFile, *extDir, *learnedFile)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "trained on the built-in corpus and %d labelled cases of the shop (each weighted %v)\n", len(learned), after.Config().LearnedWeight)
			if evalFile == "" {
				fmt.Fprintln(out, "set classifier_learned_file to this file in the server's config: the server learns from it at start-up")
				return nil
			}
			f, err := os.Open(evalFile)
			if err != nil {
				return fmt.Errorf("evaluation set: %w", err)
			}
			defer f.Close()
			exs, err := understand.ReadExamples(f)
			if err != nil {
				return fmt.Errorf("evaluation set: %w", err)
			}
			before, err := buildClassifier(*configFile, *extDir, "")
			if err != nil {
				return err
			}
			rb, ra := understand.Evaluate(before, exs), understand.Evaluate(after, exs)
			fmt.Fprintf(out, "%-8s %8s %8s\n", "accuracy", "before", "after")
			for _, fld := range []understand.Field{understand.FieldType, understand.FieldDemand, understand.FieldEmotion, understand.FieldLevel} {
				fmt.Fprintf(out, "%-8s %7.1f%% %7.1f%%\n", fld, 100*rb.Accuracy[fld], 100*ra.Accuracy[fld])
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&evalFile, "eval", "", "labelled JSON lines to measure before and after")
	return cmd
}

func buildClassifier(configFile, extDir, learnedFile string) (*understand.Classifier, error) {
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
	var learned []understand.Example
	if learnedFile != "" {
		var err error
		if learned, err = understand.LoadLearned(learnedFile); err != nil {
			return nil, err
		}
	}
	return understand.NewLearned(cfg, ext, learned)
}
