// Package httpx is the small HTTP layer the JSON API and the workbench share (after
// Miniflux's internal/http): how a path id is read, how an error of the layers below
// becomes an HTTP answer (Problem, Explain), and writing JSON. Neither face decides
// anything the other would decide differently.
package httpx

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/execution"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/training"
)

// Problem is the answer to a failed request: a stable code for programs, a Chinese
// message for people, and the field at fault when there is one. The API sends it as
// its JSON body; the workbench shows the message next to the field or on the page.
type Problem struct {
	Code           string             `json:"code"`
	Message        string             `json:"message"`
	Field          string             `json:"field,omitempty"`
	Errors         []cases.FieldError `json:"errors,omitempty"`
	CurrentVersion *int64             `json:"current_version,omitempty"`
	// Rule is the SOP rule behind a refusal that is not itself named by Code.
	Rule string `json:"rule,omitempty"`
	// Status is the HTTP status; RetryAfter is sent as Retry-After (429, 503).
	Status     int           `json:"-"`
	RetryAfter time.Duration `json:"-"`
}

func (p *Problem) Error() string { return p.Code + ": " + p.Message }

// New is a problem without a field.
func New(status int, code, message string) *Problem {
	return &Problem{Status: status, Code: code, Message: message}
}

// Field is a 422 on one field.
func Field(field, message string) *Problem {
	return &Problem{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: message, Field: field,
		Errors: []cases.FieldError{{Field: field, Message: message}}}
}

// PathID reads a positive id from the request path; anything else is a 404.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, New(http.StatusNotFound, "not_found", "找不到该记录")
	}
	return id, nil
}

// WriteJSON answers with v as JSON.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// SetRetryAfter sends the problem's Retry-After, when it has one.
func (p *Problem) SetRetryAfter(w http.ResponseWriter) {
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(p.RetryAfter.Seconds())), 10))
	}
}

// Explain maps what the layers below return to one HTTP answer. It is the only place
// that knows both the domain errors and HTTP: the API writes the Problem as JSON, the
// workbench as a page.
func Explain(err error) *Problem {
	var (
		apiErr    *Problem
		verr      cases.ValidationError
		rule      *desk.RuleError
		conflict  *store.ConflictError
		approval  *desk.ApprovalRequiredError
		scriptErr *script.ValidationError
		stale     *execution.StaleError
		badStep   *execution.TransitionError
	)
	switch {
	case errors.As(err, &apiErr):
		return apiErr
	case errors.As(err, &verr):
		return &Problem{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: verr[0].Message, Field: verr[0].Field, Errors: verr}
	case errors.As(err, &scriptErr) && len(scriptErr.Fields) > 0:
		fields := make([]cases.FieldError, len(scriptErr.Fields))
		for i, f := range scriptErr.Fields {
			fields[i] = cases.FieldError{Field: f.Field, Message: f.Message}
		}
		return &Problem{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: fields[0].Message, Field: fields[0].Field, Errors: fields}
	case errors.As(err, &rule):
		return &Problem{Status: http.StatusUnprocessableEntity, Code: rule.Code, Message: rule.Message, Field: rule.Field}
	case errors.As(err, &conflict):
		v := conflict.Current
		return &Problem{Status: http.StatusConflict, Code: "version_conflict", CurrentVersion: &v,
			Message: fmt.Sprintf("工单已被他人修改(当前版本 %d),你的修改没有保存,请查看最新内容后重新提交", v)}
	case errors.As(err, &stale):
		return &Problem{Status: http.StatusConflict, Code: "stale_state", Field: "from",
			Message: fmt.Sprintf("该方案已被他人推进到「%s」,请刷新后重试", execution.StateLabel(stale.Current))}
	case errors.As(err, &badStep):
		return &Problem{Status: http.StatusUnprocessableEntity, Code: "invalid_transition", Field: "to",
			Message: fmt.Sprintf("%s不能从「%s」到「%s」", execution.KindLabel(badStep.Kind), execution.StateLabel(badStep.From), execution.StateLabel(badStep.To))}
	case errors.As(err, &approval):
		return &Problem{Status: http.StatusForbidden, Code: "approval_required", Field: "payload.amount", Rule: approval.Rule.ID,
			Message: approval.Rule.Text + ",请先申请主管审批"}
	case errors.Is(err, desk.ErrForbidden):
		return New(http.StatusForbidden, "forbidden", "没有权限执行此操作")
	case errors.Is(err, training.ErrNotYours):
		return New(http.StatusNotFound, "not_found", "找不到这次练习:只有学员本人和主管能看")
	case errors.Is(err, training.ErrExamTaken):
		return New(http.StatusConflict, "exam_taken", "考试只能做一次,这份考试已经做过了")
	case errors.Is(err, training.ErrOff):
		return New(http.StatusNotFound, "training_off", "本服务器没有开启培训")
	case errors.Is(err, store.ErrNotFound), errors.Is(err, blob.ErrNotFound):
		return New(http.StatusNotFound, "not_found", "找不到该记录")
	case errors.Is(err, store.ErrBadCursor):
		return Field("cursor", "分页链接无效,请从第一页开始")
	case errors.Is(err, store.ErrUnavailable):
		return &Problem{Status: http.StatusServiceUnavailable, Code: "unavailable", RetryAfter: 5 * time.Second,
			Message: "数据库暂时不可用,本次操作没有保存,请稍后重试"}
	case errors.Is(err, syscall.ENOSPC):
		return &Problem{Status: http.StatusServiceUnavailable, Code: "disk_full", RetryAfter: time.Minute,
			Message: "服务器存储空间不足,本次操作没有保存,请联系管理员"}
	case errors.Is(err, auth.ErrBusy):
		return &Problem{Status: http.StatusServiceUnavailable, Code: "busy", RetryAfter: time.Second,
			Message: "登录请求过多,请稍后重试"}
	case errors.Is(err, store.ErrQueryTooLong):
		return Field("q", fmt.Sprintf("搜索内容不能超过%d个字节(约%d个汉字)", store.MaxQueryBytes, store.MaxQueryBytes/3))
	case errors.Is(err, auth.ErrThrottled):
		wait := time.Minute
		var th *auth.ThrottledError
		if errors.As(err, &th) {
			wait = th.RetryAfter
		}
		secs := int64(math.Ceil(wait.Seconds()))
		return &Problem{Status: http.StatusTooManyRequests, Code: "too_many_attempts", RetryAfter: time.Duration(secs) * time.Second,
			Message: fmt.Sprintf("密码错误次数过多,请%d秒后再试", secs)}
	case errors.Is(err, auth.ErrBadCredentials):
		return New(http.StatusUnauthorized, "bad_credentials", "用户名或密码错误")
	case errors.Is(err, auth.ErrBadToken):
		return New(http.StatusUnauthorized, "bad_token", "API令牌无效、已撤销或其用户已停用")
	case errors.Is(err, auth.ErrUnauthenticated):
		return New(http.StatusUnauthorized, "unauthenticated", "请先登录")
	}
	return New(http.StatusInternalServerError, "internal", "服务器内部错误,请稍后重试")
}
