package validation

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// JSON words an error of decoding a JSON body in Chinese, on the field it concerns:
// prefix is the path of the decoded value ("payload." for an event's payload). An
// unknown field, a value of the wrong type, a malformed body and an amount or a
// number the decoder refused each get their own message.
func JSON(err error, prefix string) Error {
	var typeErr *json.UnmarshalTypeError
	var syntax *json.SyntaxError
	msg := err.Error()
	switch {
	case errors.As(err, &typeErr):
		// Embedded structs show up in the path ("Intake.level"); the client knows
		// the field by its own name.
		field := typeErr.Field[strings.LastIndex(typeErr.Field, ".")+1:]
		return Error{{Field: prefix + field, Message: fmt.Sprintf("「%s」的类型不正确", field)}}
	case strings.HasPrefix(msg, "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return Error{{Field: prefix + name, Message: fmt.Sprintf("未知字段「%s」", name)}}
	case errors.As(err, &syntax):
		return Error{{Field: strings.TrimSuffix(prefix, "."), Message: fmt.Sprintf("不是有效的JSON(第%d个字节附近)", syntax.Offset)}}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return Error{{Field: strings.TrimSuffix(prefix, "."), Message: "JSON内容不完整"}}
	case !strings.HasPrefix(msg, "json:"):
		// A value's own decoder refused it (an amount with three decimals …): its
		// message is already the reason.
		return Error{{Field: strings.TrimSuffix(prefix, "."), Message: msg}}
	}
	return Error{{Field: strings.TrimSuffix(prefix, "."), Message: "内容格式不正确"}}
}
