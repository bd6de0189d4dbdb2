// Package policy holds the money and eligibility rules of SOP §5 as pure functions.
//
// Every number of the SOP is a field of Config with the SOP's value as its default,
// and every decision carries the Rule that made it, with the numbers filled in, so
// that an agent sees why. The package reads no clock: times come in as arguments.
package policy
