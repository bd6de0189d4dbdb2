package cases

import (
	"strings"
	"unicode/utf8"
)

// remarkSeparators split a remark into its two parts, 问题描述 and 进度 (SOP §1.5).
const remarkSeparators = "，,；;。 "

// ValidateRemark checks a remark against the SOP format 问题描述 + 进度: a problem part
// and a progress part, e.g. "破损，换货待寄回".
func ValidateRemark(text string) error {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return ValidationError{{Field: "text", Message: "备注不能为空(无备注等于0产能)"}}
	case utf8.RuneCountInString(text) > 500:
		return ValidationError{{Field: "text", Message: "备注不能超过500个字"}}
	}
	i := strings.IndexAny(text, remarkSeparators)
	if i <= 0 || strings.Trim(text[i:], remarkSeparators) == "" {
		return ValidationError{{Field: "text", Message: "备注格式须为「问题描述+进度」,用逗号分开,例如:破损，换货待寄回"}}
	}
	return nil
}
