// Package corpus holds shouhou's labelled customer messages (SOP §8 codes), split
// into train.jsonl and test.jsonl. Only the train split is embedded: the classifier
// cannot learn from the test split because the binary does not contain it.
package corpus

import (
	"embed"
	"io/fs"
)

// TrainFile and TestFile are the split files' names in this directory. HoldoutFile
// is an independent evaluation set written apart from both splits (other products,
// styles and phrasings); like the test split it is never embedded nor trained on.
const (
	TrainFile   = "train.jsonl"
	TestFile    = "test.jsonl"
	HoldoutFile = "holdout.jsonl"
	// BlindFile is a second independent evaluation set, written before the third
	// round of classifier changes and only measured, never trained on.
	BlindFile = "blind.jsonl"
)

//go:embed train.jsonl
var train embed.FS

// Train returns a file system holding only TrainFile.
func Train() fs.FS { return train }
