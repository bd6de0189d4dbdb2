package clock

import (
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
)

var cst = time.FixedZone("CST", 8*3600)

// weekdays treats Monday to Friday as working days.
type weekdays struct{}

func (weekdays) IsWorkingDay(t time.Time) bool {
	d := t.In(cst).Weekday()
	return d != time.Saturday && d != time.Sunday
}
func (weekdays) Location() *time.Location { return cst }

func TestBusinessHoursMoveOnlyTheResolutionClock(t *testing.T) {
	on := BusinessHours{Enabled: true, Start: "09:00", End: "22:00"}
	tests := []struct {
		name             string
		bh               BusinessHours
		days             Days
		opened           time.Time
		respond, resolve time.Time
	}{
		{"off: plain hours", BusinessHours{Start: "09:00", End: "22:00"}, nil,
			time.Date(2026, 11, 23, 21, 0, 0, 0, cst), time.Date(2026, 11, 24, 1, 0, 0, 0, cst), time.Date(2026, 11, 25, 21, 0, 0, 0, cst)},
		{"opened Monday 21:00: 1 h Monday, 13 h a day Tue–Thu, 8 h Friday", on, nil,
			time.Date(2026, 11, 23, 21, 0, 0, 0, cst), time.Date(2026, 11, 24, 1, 0, 0, 0, cst), time.Date(2026, 11, 27, 17, 0, 0, 0, cst)},
		{"opened at 03:00 at night: the clock starts at 09:00", on, nil,
			time.Date(2026, 11, 24, 3, 0, 0, 0, cst), time.Date(2026, 11, 24, 7, 0, 0, 0, cst), time.Date(2026, 11, 27, 18, 0, 0, 0, cst)},
		{"working days only: Friday 21:00, the weekend skipped", BusinessHours{Enabled: true, Start: "09:00", End: "22:00", WorkingDaysOnly: true}, weekdays{},
			time.Date(2026, 11, 27, 21, 0, 0, 0, cst), time.Date(2026, 11, 28, 1, 0, 0, 0, cst), time.Date(2026, 12, 3, 17, 0, 0, 0, cst)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSLA()
			s.BusinessHours = tt.bh
			respond, resolve := s.DeadlinesIn(cases.Level(2), tt.opened, tt.days)
			if !respond.Equal(tt.respond) || !resolve.Equal(tt.resolve) {
				t.Fatalf("due %v / %v, want %v / %v", respond.In(cst), resolve.In(cst), tt.respond, tt.resolve)
			}
			if got := tt.bh.Between(tt.opened, resolve, tt.days); tt.bh.Enabled && got != 48*time.Hour {
				t.Fatalf("business time to the deadline: %v", got)
			}
		})
	}
}

func TestBusinessHoursWindowMustBeValid(t *testing.T) {
	for _, b := range []BusinessHours{{Enabled: true, Start: "9h", End: "22:00"}, {Enabled: true, Start: "22:00", End: "09:00"}} {
		if b.Validate() == nil {
			t.Errorf("accepted %+v", b)
		}
	}
}

func TestBusinessHoursWarningIsTheLast20PercentOfBusinessTime(t *testing.T) {
	b := BusinessHours{Enabled: true, Start: "09:00", End: "22:00"}
	due := time.Date(2026, 11, 27, 17, 0, 0, 0, cst) // Friday
	// 20 % of 48 h = 9 h 36 min of business time: Friday 09:00–17:00 and 1 h 36 min of Thursday.
	if got, want := b.Before(due, 48*time.Hour/5, nil), time.Date(2026, 11, 26, 20, 24, 0, 0, cst); !got.Equal(want) {
		t.Fatalf("warning at %v, want %v", got.In(cst), want)
	}
}
