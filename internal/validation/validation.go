// Package validation is the error of invalid input: which fields are wrong and why,
// in Chinese for the agent. Every package that checks input returns it, and the API
// turns it into one 422 answer listing every field.
package validation

import "strings"

// FieldError says which field of the input is wrong and why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error lists every problem found in one input; nothing is changed when it is
// returned.
type Error []FieldError

func (v Error) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Field + ": " + f.Message
	}
	return strings.Join(parts, "; ")
}

// Has reports whether field is among the errors.
func (v Error) Has(field string) bool {
	for _, f := range v {
		if f.Field == field {
			return true
		}
	}
	return false
}
