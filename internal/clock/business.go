package clock

import (
	"fmt"
	"time"
)

// BusinessHours, when enabled, makes the resolution clock count only the team's
// working hours (e.g. 09:00–22:00 Beijing time), optionally only on working days of
// the shop's calendar (weekends and holidays off, 调休 Saturdays on). The first-response
// clock keeps running around the clock: the night/weekend duty answers at once and the
// specialist follows up in working hours (seed 002). Off by default.
type BusinessHours struct {
	Enabled         bool   `yaml:"enabled" json:"enabled" doc:"count the resolution clock in business hours only (the first response stays around the clock: night duty)"`
	Start           string `yaml:"start" json:"start" doc:"start of the business day, HH:MM Beijing time"`
	End             string `yaml:"end" json:"end" doc:"end of the business day, HH:MM"`
	WorkingDaysOnly bool   `yaml:"working_days_only" json:"working_days_only" doc:"business hours only on working days of the calendar (weekends and holidays off, 调休 on)"`
}

// Days says which days are working days and in which time zone days begin (the
// shop's calendar, internal/calendar).
type Days interface {
	IsWorkingDay(t time.Time) bool
	Location() *time.Location
}

// beijing is the zone of the business day when no calendar is given.
var beijing = time.FixedZone("CST", 8*3600)

func parseClock(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("时间格式须为 HH:MM,不是 %q", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Validate checks the window.
func (b BusinessHours) Validate() error {
	if !b.Enabled {
		return nil
	}
	start, err := parseClock(b.Start)
	if err != nil {
		return fmt.Errorf("sla.business_hours.start: %w", err)
	}
	end, err := parseClock(b.End)
	if err != nil {
		return fmt.Errorf("sla.business_hours.end: %w", err)
	}
	if end <= start {
		return fmt.Errorf("sla.business_hours: 结束时间须晚于开始时间")
	}
	return nil
}

// window is the business time of the day t falls on; ok is false on a day off.
func (b BusinessHours) window(t time.Time, days Days) (from, to time.Time, ok bool) {
	loc := beijing
	if days != nil {
		loc = days.Location()
	}
	local := t.In(loc)
	day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	start, _ := parseClock(b.Start)
	end, _ := parseClock(b.End)
	if b.WorkingDaysOnly && days != nil && !days.IsWorkingDay(day) {
		return day, day, false
	}
	return day.Add(start), day.Add(end), true
}

func nextDay(t time.Time, days Days) time.Time {
	loc := beijing
	if days != nil {
		loc = days.Location()
	}
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, loc)
}

// Add is from plus d of business time (plain time when not enabled).
func (b BusinessHours) Add(from time.Time, d time.Duration, days Days) time.Time {
	if !b.Enabled || d <= 0 {
		return from.Add(d)
	}
	cur := from
	for range 3700 { // ten years of days bounds a misconfigured calendar
		start, end, ok := b.window(cur, days)
		if ok && cur.Before(end) {
			if cur.Before(start) {
				cur = start
			}
			avail := end.Sub(cur)
			if d <= avail {
				return cur.Add(d).UTC()
			}
			d -= avail
		}
		cur = nextDay(cur, days)
	}
	return cur.Add(d).UTC()
}

// Between is the business time from from to to (plain time when not enabled).
func (b BusinessHours) Between(from, to time.Time, days Days) time.Duration {
	if !b.Enabled {
		return to.Sub(from)
	}
	var total time.Duration
	cur := from
	for range 3700 {
		if !cur.Before(to) {
			break
		}
		start, end, ok := b.window(cur, days)
		if ok {
			s, e := maxTime(cur, start), minTime(to, end)
			if e.After(s) {
				total += e.Sub(s)
			}
		}
		cur = nextDay(cur, days)
	}
	return total
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// Before is the latest time with d of business time left until due (plain time when
// not enabled): the near-deadline warning of a resolution clock that counts business
// hours. Between is monotonic, so a bisection finds it (to the microsecond, then
// rounded to the millisecond the deadlines are kept in).
func (b BusinessHours) Before(due time.Time, d time.Duration, days Days) time.Time {
	if !b.Enabled || d <= 0 {
		return due.Add(-d)
	}
	lo, hi := due.Add(-366*24*time.Hour), due
	if b.Between(lo, due, days) < d {
		return lo
	}
	for hi.Sub(lo) > time.Microsecond {
		mid := lo.Add(hi.Sub(lo) / 2)
		if b.Between(mid, due, days) >= d {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo.Round(time.Millisecond).UTC()
}
