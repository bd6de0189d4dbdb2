// Package calendar counts working days for timers such as the lost-parcel rule's
// "3 working days" (SOP §6): weekends and public holidays are off, make-up working
// days (调休) turn a weekend day into a working day. It reads no clock.
package calendar

import (
	"fmt"
	"time"

	// The zone database travels with the binary so that Asia/Shanghai resolves on
	// hosts without /usr/share/zoneinfo (scratch containers, Windows).
	_ "time/tzdata"
)

// DefaultTimeZone is the zone working days are counted in unless the data says otherwise.
const DefaultTimeZone = "Asia/Shanghai"

// Coverage says how far the calendar knows a year's arrangement.
type Coverage string

const (
	CoverageNone        Coverage = "none"        // weekends only: holiday data missing
	CoverageProvisional Coverage = "provisional" // some days not yet published officially
	CoverageOfficial    Coverage = "official"
)

// Calendar answers working-day questions in one time zone.
type Calendar struct {
	loc   *time.Location
	off   map[Date]string // holiday name by date
	on    map[Date]string // make-up working day name by date
	years map[int]Coverage
}

// New builds a calendar from base and then each override in order: a later layer's
// day (off or on) replaces an earlier layer's entry for the same date, and a non-empty
// TimeZone replaces the zone.
func New(base Data, overrides ...Data) (*Calendar, error) {
	c := &Calendar{off: map[Date]string{}, on: map[Date]string{}, years: map[int]Coverage{}}
	zone := DefaultTimeZone
	for _, layer := range append([]Data{base}, overrides...) {
		if layer.TimeZone != "" {
			zone = layer.TimeZone
		}
		if err := c.apply(layer); err != nil {
			return nil, err
		}
	}
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return nil, fmt.Errorf("calendar: time zone %q: %w", zone, err)
	}
	c.loc = loc
	return c, nil
}

// Default is the shipped mainland-China calendar in Asia/Shanghai.
func Default() *Calendar {
	c, err := New(DefaultData())
	if err != nil {
		panic(fmt.Sprintf("calendar: default data: %v", err))
	}
	return c
}

func (c *Calendar) apply(d Data) error {
	for _, h := range d.Holidays {
		if h.To.Before(h.From) {
			return fmt.Errorf("calendar: holiday %s ends %s before it starts %s", h.Name, h.To, h.From)
		}
		for day := h.From; !h.To.Before(day); day = day.AddDays(1) {
			c.off[day] = h.Name
			delete(c.on, day)
			c.cover(day.Year, h.Provisional)
		}
	}
	for _, w := range d.Workdays {
		c.on[w.Date] = w.Name
		delete(c.off, w.Date)
		c.cover(w.Date.Year, w.Provisional)
	}
	return nil
}

func (c *Calendar) cover(year int, provisional bool) {
	if provisional {
		c.years[year] = CoverageProvisional
	} else if c.years[year] != CoverageProvisional {
		c.years[year] = CoverageOfficial
	}
}

// Location is the zone the calendar counts days in.
func (c *Calendar) Location() *time.Location { return c.loc }

// Coverage tells whether the year's holidays are known; with CoverageNone the
// calendar counts weekends only, so callers may warn that the data needs its yearly update.
func (c *Calendar) Coverage(year int) Coverage {
	if cv, ok := c.years[year]; ok {
		return cv
	}
	return CoverageNone
}

// IsWorkingDay reports whether the day of t, in the calendar's zone, is a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.working(DateOf(t.In(c.loc))) }

// Holiday names the holiday t falls on, if any.
func (c *Calendar) Holiday(t time.Time) (string, bool) {
	name, ok := c.off[DateOf(t.In(c.loc))]
	return name, ok
}

func (c *Calendar) working(d Date) bool {
	if _, ok := c.on[d]; ok {
		return true
	}
	if _, ok := c.off[d]; ok {
		return false
	}
	return !isWeekend(d)
}

// AddWorkingDays is the deadline n working days after t: the same clock time, in the
// calendar's zone, on the n-th working day after t's date. t's own day never counts,
// whether or not it is a working day: 3 working days from Friday 17:00 is Wednesday
// 17:00, and 1 from Saturday 10:00 is Monday 10:00. n = 0 returns t; n < 0 goes back
// to the |n|-th working day before t's date.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	if n == 0 {
		return t
	}
	local := t.In(c.loc)
	d, step := DateOf(local), 1
	if n < 0 {
		n, step = -n, -1
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.working(d) {
			n--
		}
	}
	return time.Date(d.Year, d.Month, d.Day, local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), c.loc)
}

// WorkingDaysBetween counts the working days after from's date up to and including
// to's date, so that WorkingDaysBetween(t, AddWorkingDays(t, n)) == n for n ≥ 0. It is
// negative when to comes before from, and 0 on the same date.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b := DateOf(from.In(c.loc)), DateOf(to.In(c.loc))
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDays(1); !b.Before(d); d = d.AddDays(1) {
		if c.working(d) {
			n++
		}
	}
	return sign * n
}
