package httpx

import (
	"errors"
	"fmt"
	"net/http"
	"syscall"
	"testing"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/store"
)

// TestExplainGivesEveryDomainErrorOneAnswer: the API and the workbench answer each
// error of the layers below with the same status, code and Chinese message.
func TestExplainGivesEveryDomainErrorOneAnswer(t *testing.T) {
	for _, tt := range []struct {
		err    error
		status int
		code   string
	}{
		{cases.ValidationError{{Field: "order_no", Message: "订单号须为4-64位"}}, 422, "invalid"},
		{&desk.RuleError{Code: "return.customer_only", Message: "退货只能由顾客主动提出"}, 422, "return.customer_only"},
		{fmt.Errorf("wrapped: %w", &store.ConflictError{CaseID: 1, Current: 7}), 409, "version_conflict"},
		{&desk.ApprovalRequiredError{}, 403, "approval_required"},
		{&execution.StaleError{Current: execution.StatePaid}, 409, "stale_state"},
		{&execution.TransitionError{Kind: execution.KindReship}, 422, "invalid_transition"},
		{desk.ErrForbidden, 403, "forbidden"},
		{store.ErrNotFound, 404, "not_found"},
		{store.ErrBadCursor, 422, "invalid"},
		{store.ErrUnavailable, 503, "unavailable"},
		{syscall.ENOSPC, 503, "disk_full"},
		{auth.ErrBusy, 503, "busy"},
		{auth.ErrBadCredentials, 401, "bad_credentials"},
		{errors.New("boom"), 500, "internal"},
	} {
		p := Explain(tt.err)
		if p.Status != tt.status || p.Code != tt.code || p.Message == "" {
			t.Errorf("%v: %d %s %q, want %d %s", tt.err, p.Status, p.Code, p.Message, tt.status, tt.code)
		}
	}
	if p := Explain(store.ErrUnavailable); p.RetryAfter == 0 {
		t.Error("an unavailable database gives no Retry-After")
	}
}

func TestPathIDIsPositiveOr404(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want int64
	}{{"12", 12}, {"0", 0}, {"-3", 0}, {"x", 0}, {"99999999999999999999", 0}} {
		r, _ := http.NewRequest("GET", "/", nil)
		r.SetPathValue("id", tt.id)
		got, err := PathID(r, "id")
		if got != tt.want || (tt.want == 0) != (err != nil) {
			t.Errorf("PathID(%q) = %d, %v", tt.id, got, err)
		}
	}
}
