package calendar

import (
	"fmt"
	"time"
)

// Date is a civil date, without clock or zone; it is the key of the holiday tables.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("日期格式应为YYYY-MM-DD: %q", s)
	}
	return DateOf(t), nil
}

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Start is the first instant of d in loc (midnight).
func (d Date) Start(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays is the date n days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return DateOf(d.midnight().AddDate(0, 0, n)) }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.midnight().Weekday() }

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.midnight().Before(e.midnight()) }

func (d Date) midnight() time.Time { return d.Start(time.UTC) }

func isWeekend(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}
