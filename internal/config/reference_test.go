package config

import (
	"os"
	"testing"
)

func TestEveryKeyIsDocumentedAndDocsConfigIsCurrent(t *testing.T) {
	for _, k := range Keys() {
		if k.Doc == "" {
			t.Errorf("config key %s has no doc tag", k.Name)
		}
	}
	want := Reference()
	got, err := os.ReadFile("../../docs/CONFIG.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		if os.Getenv("SHOUHOU_UPDATE_DOCS") != "" {
			if err := os.WriteFile("../../docs/CONFIG.md", []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Fatal("docs/CONFIG.md differs from the Config struct; regenerate it with `go run ./cmd/shouhou config reference > docs/CONFIG.md` (or SHOUHOU_UPDATE_DOCS=1 go test ./internal/config)")
	}
}
