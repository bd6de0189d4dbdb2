// Package export writes table cells so that a spreadsheet shows them as they are:
// text that a spreadsheet would run as a formula is neutralised, and long digit
// strings (order and tracking numbers) stay text instead of becoming numbers rounded
// after 15 digits.
package export

import "strings"

// formulaStart are the first characters that make Excel, LibreOffice or Google Sheets
// treat a cell as a formula (or, for tab and carriage return, hide such a start).
const formulaStart = "=+-@\t\r"

// Text makes s safe as a text cell: a value starting like a formula gets a leading
// apostrophe, the spreadsheet convention for "this is text" (OWASP CSV injection).
func Text(s string) string {
	if s != "" && strings.ContainsRune(formulaStart, rune(s[0])) {
		return "'" + s
	}
	return s
}

// ID keeps an identifier such as an order number as text. A value of digits only is
// written as ="…", which spreadsheets show as the digits and never as a number (so
// 4312098871623456789 is not rounded to 4312098871623450000); anything else goes
// through Text.
func ID(s string) string {
	if s != "" && strings.Trim(s, "0123456789") == "" {
		return `="` + s + `"`
	}
	return Text(s)
}
