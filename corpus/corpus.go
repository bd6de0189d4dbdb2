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
	// ChatsTrainFile and ChatsTestFile hold multi-turn chats ({"turns":[{speaker,
	// text}], "conversation", "platform", labels}) composed from hand-written core
	// chats by chatgen/genchats.py; all variants of a core chat are in one split.
	ChatsTrainFile = "chats_train.jsonl"
	ChatsTestFile  = "chats_test.jsonl"
	// ChatsHoldoutFile is a set of chats written by someone who never saw the
	// training chats; it is only measured.
	ChatsHoldoutFile = "chats_holdout.jsonl"
)

//go:embed train.jsonl chats_train.jsonl
var train embed.FS

// Train returns a file system holding only TrainFile and ChatsTrainFile.
func Train() fs.FS { return train }
