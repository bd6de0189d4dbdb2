package policy

import (
	"strings"
	"testing"
)

// withYAML builds a Policy from a shop override on the defaults.
func withYAML(t *testing.T, doc string) Policy {
	t.Helper()
	cfg, err := Parse([]byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func defaultPolicy(t *testing.T) Policy {
	t.Helper()
	p, err := New(Default())
	if err != nil {
		t.Fatalf("New(Default()): %v", err)
	}
	return p
}

// checkRule fails unless r has the ID and its text contains every fragment.
func checkRule(t *testing.T, r Rule, id string, fragments ...string) {
	t.Helper()
	if r.ID != id {
		t.Errorf("rule ID = %q, want %q (text %q)", r.ID, id, r.Text)
	}
	for _, f := range fragments {
		if !strings.Contains(r.Text, f) {
			t.Errorf("rule text %q lacks %q", r.Text, f)
		}
	}
}
