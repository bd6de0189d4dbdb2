package script

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// equal fails the test with a diff when got differs from want.
func equal[T any](t *testing.T, want, got T, context ...any) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%v (-want +got):\n%s", context, diff)
	}
}

// noError stops the test on err.
func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}
