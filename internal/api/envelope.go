package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
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
)

// Error is the body of every failed request: a stable code for programs, a Chinese
// message for people, and the field at fault when there is one.
type Error struct {
	Code           string             `json:"code"`
	Message        string             `json:"message"`
	Field          string             `json:"field,omitempty"`
	Errors         []cases.FieldError `json:"errors,omitempty"`
	CurrentVersion *int64             `json:"current_version,omitempty"`
	// Rule is the SOP rule behind a refusal that is not itself named by Code.
	Rule       string `json:"rule,omitempty"`
	status     int
	retryAfter time.Duration // sent as Retry-After (429, 503)
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func apiError(status int, code, message string) *Error {
	return &Error{status: status, Code: code, Message: message}
}

func fieldError(field, message string) *Error {
	return &Error{status: http.StatusUnprocessableEntity, Code: "invalid", Message: message, Field: field,
		Errors: []cases.FieldError{{Field: field, Message: message}}}
}

// toError maps what the layers below return to one HTTP answer. It is the only place
// that knows both the domain errors and HTTP.
func toError(err error) *Error {
	var (
		apiErr    *Error
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
		return &Error{status: http.StatusUnprocessableEntity, Code: "invalid", Message: verr[0].Message, Field: verr[0].Field, Errors: verr}
	case errors.As(err, &scriptErr) && len(scriptErr.Fields) > 0:
		fields := make([]cases.FieldError, len(scriptErr.Fields))
		for i, f := range scriptErr.Fields {
			fields[i] = cases.FieldError{Field: f.Field, Message: f.Message}
		}
		return &Error{status: http.StatusUnprocessableEntity, Code: "invalid", Message: fields[0].Message, Field: fields[0].Field, Errors: fields}
	case errors.As(err, &rule):
		return &Error{status: http.StatusUnprocessableEntity, Code: rule.Code, Message: rule.Message, Field: rule.Field}
	case errors.As(err, &conflict):
		v := conflict.Current
		return &Error{status: http.StatusConflict, Code: "version_conflict", CurrentVersion: &v,
			Message: fmt.Sprintf("工单已被他人修改,当前版本为 %d,请刷新后重试", v)}
	case errors.As(err, &stale):
		return &Error{status: http.StatusConflict, Code: "stale_state", Field: "from",
			Message: fmt.Sprintf("该方案已被他人推进到「%s」,请刷新后重试", execution.StateLabel(stale.Current))}
	case errors.As(err, &badStep):
		return &Error{status: http.StatusUnprocessableEntity, Code: "invalid_transition", Field: "to",
			Message: fmt.Sprintf("%s不能从「%s」到「%s」", execution.KindLabel(badStep.Kind), execution.StateLabel(badStep.From), execution.StateLabel(badStep.To))}
	case errors.As(err, &approval):
		return &Error{status: http.StatusForbidden, Code: "approval_required", Field: "payload.amount", Rule: approval.Rule.ID,
			Message: approval.Rule.Text + ",请先提交主管审批(approval.requested)"}
	case errors.Is(err, desk.ErrForbidden):
		return apiError(http.StatusForbidden, "forbidden", "没有权限执行此操作")
	case errors.Is(err, store.ErrNotFound), errors.Is(err, blob.ErrNotFound):
		return apiError(http.StatusNotFound, "not_found", "找不到该记录")
	case errors.Is(err, store.ErrBadCursor):
		return fieldError("cursor", "分页游标无效")
	case errors.Is(err, store.ErrUnavailable):
		return &Error{status: http.StatusServiceUnavailable, Code: "unavailable", retryAfter: 5 * time.Second,
			Message: "数据库暂时不可用,本次操作没有保存,请稍后重试"}
	case errors.Is(err, syscall.ENOSPC):
		return &Error{status: http.StatusServiceUnavailable, Code: "disk_full", retryAfter: time.Minute,
			Message: "服务器存储空间不足,本次操作没有保存,请联系管理员"}
	case errors.Is(err, auth.ErrBusy):
		return &Error{status: http.StatusServiceUnavailable, Code: "busy", retryAfter: time.Second,
			Message: "登录请求过多,请稍后重试"}
	case errors.Is(err, store.ErrQueryTooLong):
		return fieldError("q", fmt.Sprintf("搜索内容不能超过%d个字节(约%d个汉字)", store.MaxQueryBytes, store.MaxQueryBytes/3))
	case errors.Is(err, auth.ErrThrottled):
		wait := time.Minute
		var th *auth.ThrottledError
		if errors.As(err, &th) {
			wait = th.RetryAfter
		}
		secs := int64(math.Ceil(wait.Seconds()))
		return &Error{status: http.StatusTooManyRequests, Code: "too_many_attempts", retryAfter: time.Duration(secs) * time.Second,
			Message: fmt.Sprintf("密码错误次数过多,请%d秒后再试", secs)}
	case errors.Is(err, auth.ErrBadCredentials):
		return apiError(http.StatusUnauthorized, "bad_credentials", "用户名或密码错误")
	case errors.Is(err, auth.ErrUnauthenticated):
		return apiError(http.StatusUnauthorized, "unauthenticated", "请先登录")
	}
	return apiError(http.StatusInternalServerError, "internal", "服务器内部错误,请稍后重试")
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := toError(err)
	if e.status == http.StatusServiceUnavailable {
		s.logger.WarnContext(r.Context(), "request refused: unavailable", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("err", err))
	} else if e.status >= 500 {
		s.logger.ErrorContext(r.Context(), "request failed", slog.String("method", r.Method),
			slog.String("path", r.URL.Path), slog.Any("err", err))
	}
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(int64(math.Ceil(e.retryAfter.Seconds())), 10))
	}
	writeJSON(w, e.status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
