package calendar

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at is a time in Asia/Shanghai from "2006-01-02 15:04".
func at(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDefaultDataCoversOfficial2026AndProvisional2027(t *testing.T) {
	c := Default()
	for year, want := range map[int]Coverage{2025: CoverageNone, 2026: CoverageOfficial, 2027: CoverageProvisional, 2028: CoverageNone} {
		if got := c.Coverage(year); got != want {
			t.Errorf("Coverage(%d) = %s, want %s", year, got, want)
		}
	}
	if c.Location().String() != "Asia/Shanghai" {
		t.Errorf("zone %s", c.Location())
	}
}

func TestDefaultMakeUpDaysAreAllWeekends(t *testing.T) {
	for _, w := range DefaultData().Workdays {
		if !isWeekend(w.Date) {
			t.Errorf("make-up day %s (%s) is a %s", w.Date, w.Name, w.Date.Weekday())
		}
	}
}

func TestIsWorkingDay2026(t *testing.T) {
	c := Default()
	tests := []struct {
		day     string
		working bool
		why     string
	}{
		{"2026-03-04", true, "ordinary Wednesday"},
		{"2026-03-07", false, "ordinary Saturday"},
		{"2026-01-01", false, "元旦"},
		{"2026-01-04", true, "元旦 make-up Sunday"},
		{"2026-02-13", true, "Friday before 春节"},
		{"2026-02-14", true, "春节 make-up Saturday"},
		{"2026-02-15", false, "春节 first day"},
		{"2026-02-17", false, "春节 初一"},
		{"2026-02-23", false, "春节 last day (Monday)"},
		{"2026-02-24", true, "back to work"},
		{"2026-02-28", true, "春节 second make-up Saturday"},
		{"2026-03-01", false, "Sunday after the make-up Saturday"},
		{"2026-04-06", false, "清明 Monday"},
		{"2026-05-05", false, "劳动节 Tuesday"},
		{"2026-05-09", true, "劳动节 make-up Saturday"},
		{"2026-06-19", false, "端午 Friday"},
		{"2026-09-20", true, "国庆 make-up Sunday"},
		{"2026-09-25", false, "中秋 Friday"},
		{"2026-10-01", false, "国庆 first day"},
		{"2026-10-07", false, "国庆 last day"},
		{"2026-10-08", true, "after 国庆"},
		{"2026-10-10", true, "国庆 make-up Saturday"},
		{"2026-10-11", false, "Sunday after"},
		{"2027-02-08", false, "2027 春节 (provisional)"},
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(at(t, tt.day+" 12:00")); got != tt.working {
			t.Errorf("%s (%s): working = %v, want %v", tt.day, tt.why, got, tt.working)
		}
	}
	if name, ok := c.Holiday(at(t, "2026-02-17 09:00")); !ok || name != "春节" {
		t.Errorf("Holiday(2026-02-17) = %q, %v", name, ok)
	}
}

func TestIsWorkingDayUsesTheCalendarZone(t *testing.T) {
	c := Default()
	// Friday 13 Feb 20:00 UTC is Saturday 14 Feb 04:00 in Shanghai: a make-up working day.
	if !c.IsWorkingDay(time.Date(2026, 2, 13, 20, 0, 0, 0, time.UTC)) {
		t.Error("2026-02-13 20:00 UTC should be the Shanghai make-up Saturday")
	}
	// Sunday 15 Feb 15:00 UTC is 23:00 in Shanghai, still the first day of 春节.
	if c.IsWorkingDay(time.Date(2026, 2, 15, 15, 0, 0, 0, time.UTC)) {
		t.Error("2026-02-15 23:00 Shanghai is 春节")
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := Default()
	tests := []struct {
		name, from string
		n          int
		want       string
	}{
		{"n = 0 is the same instant", "2026-03-06 17:00", 0, "2026-03-06 17:00"},
		{"n = 0 on a holiday stays put", "2026-10-03 09:00", 0, "2026-10-03 09:00"},
		{"3 working days from Friday 17:00 is Wednesday 17:00", "2026-03-06 17:00", 3, "2026-03-11 17:00"},
		{"1 from Saturday is Monday", "2026-03-07 10:00", 1, "2026-03-09 10:00"},
		{"the make-up Saturday counts", "2026-02-13 17:00", 1, "2026-02-14 17:00"},
		{"春节 is skipped", "2026-02-13 17:00", 2, "2026-02-24 17:00"},
		{"3 working days over 春节", "2026-02-12 09:30", 3, "2026-02-24 09:30"},
		{"second make-up Saturday", "2026-02-27 11:00", 1, "2026-02-28 11:00"},
		{"国庆 make-up Sunday", "2026-09-18 15:00", 1, "2026-09-20 15:00"},
		{"国庆 is skipped", "2026-09-30 10:00", 1, "2026-10-08 10:00"},
		{"3 days over 国庆 reach the make-up Saturday", "2026-09-30 10:00", 3, "2026-10-10 10:00"},
		{"across the year end and 2027 元旦", "2026-12-31 18:00", 1, "2027-01-04 18:00"},
		{"across the year end, 3 days", "2026-12-30 18:00", 3, "2027-01-05 18:00"},
		{"n < 0 goes back over 春节", "2026-02-24 10:00", -1, "2026-02-14 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(at(t, tt.from), tt.n)
			if want := at(t, tt.want); !got.Equal(want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from, tt.n, got.Format(time.DateTime), tt.want)
			}
		})
	}
}

func TestAddWorkingDaysReturnsTheCalendarZoneWithLocalClock(t *testing.T) {
	c := Default()
	from := time.Date(2026, 3, 6, 9, 0, 0, 0, time.UTC) // Friday 17:00 in Shanghai
	got := c.AddWorkingDays(from, 3)
	if got.Location() != c.Location() || got.Format("2006-01-02 15:04") != "2026-03-11 17:00" {
		t.Errorf("got %s", got)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	c := Default()
	tests := []struct {
		from, to string
		want     int
	}{
		{"2026-03-06 17:00", "2026-03-06 09:00", 0},
		{"2026-03-06 17:00", "2026-03-11 08:00", 3},
		{"2026-03-11 08:00", "2026-03-06 17:00", -3},
		{"2026-02-13 10:00", "2026-02-24 10:00", 2},
		{"2026-09-30 10:00", "2026-10-10 10:00", 3},
		{"2026-12-31 10:00", "2027-01-04 10:00", 1},
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(at(t, tt.from), at(t, tt.to)); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestWorkingDaysBetweenInvertsAddWorkingDays(t *testing.T) {
	c := Default()
	start := at(t, "2026-01-01 08:00")
	for d := 0; d < 400; d += 3 {
		from := start.AddDate(0, 0, d)
		for n := 0; n <= 12; n++ {
			if got := c.WorkingDaysBetween(from, c.AddWorkingDays(from, n)); got != n {
				t.Fatalf("from %s n %d: between = %d", from.Format(time.DateOnly), n, got)
			}
		}
	}
}

func TestShopOverridesLayerOnTheNationalCalendar(t *testing.T) {
	f, err := os.Open("testdata/shop.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	shop, err := Load(f)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	c, err := New(DefaultData(), shop)
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkingDay(at(t, "2026-03-10 12:00")) {
		t.Error("the shop's own holiday should be off")
	}
	if !c.IsWorkingDay(at(t, "2026-10-05 12:00")) {
		t.Error("the shop works on 2026-10-05 despite 国庆")
	}
	if c.IsWorkingDay(at(t, "2026-10-06 12:00")) {
		t.Error("the rest of 国庆 stays off")
	}
	if got := c.AddWorkingDays(at(t, "2026-09-30 10:00"), 1); !got.Equal(at(t, "2026-10-05 10:00")) {
		t.Errorf("AddWorkingDays over 国庆 with duty day = %s", got)
	}
}

func TestOverrideTimeZone(t *testing.T) {
	c, err := New(DefaultData(), Data{TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	// 2026-02-13 23:30 in Berlin is a Friday there, Saturday morning in Shanghai.
	berlin, _ := time.LoadLocation("Europe/Berlin")
	ts := time.Date(2026, 2, 13, 23, 30, 0, 0, berlin)
	if c.Location().String() != "Europe/Berlin" {
		t.Fatalf("zone %s", c.Location())
	}
	if !c.IsWorkingDay(ts) {
		t.Error("Friday in Berlin is a working day")
	}
	if got := c.AddWorkingDays(ts, 1); got.Format("2006-01-02 15:04") != "2026-02-14 23:30" {
		t.Errorf("got %s", got)
	}
}

func TestParseReportsLineAndProblem(t *testing.T) {
	data, err := os.ReadFile("testdata/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data)
	want := []string{
		`第3行: 日期格式应为YYYY-MM-DD: "2026-13-01"`,
		"第6行: 假期结束日 2026-03-01 早于开始日 2026-03-05",
		"第7行: 缺少名称 name",
		"第9行: 2026-03-07 同时被列为假期和调休上班日",
	}
	for _, w := range want {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
	var le *LineError
	if !errors.As(err, &le) {
		t.Errorf("error is not a *LineError: %T", err)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"unknown key with line", "holidays:\n  - name: x\n    form: 2026-01-01\n", `[3:5] unknown field "form"`},
		{"unknown zone", "\ntime_zone: Mars/Base\n", `第2行: 未知的时区 "Mars/Base"`},
		{"missing date", "workdays:\n  - name: x\n", "第2行: 缺少日期"},
		{"syntax", "holidays: [\n", "[1:11]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseSingleDayHolidayAndEmptyFile(t *testing.T) {
	d, err := Parse([]byte("holidays:\n  - {name: 店庆, from: 2026-06-18}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if h := d.Holidays[0]; h.From != h.To || h.From != (Date{2026, time.June, 18}) {
		t.Errorf("single-day holiday = %+v", h)
	}
	if d, err := Parse(nil); err != nil || len(d.Holidays) != 0 {
		t.Errorf("empty file: %+v, %v", d, err)
	}
}

func TestNewRejectsReversedHolidayAndUnknownZone(t *testing.T) {
	if _, err := New(Data{Holidays: []Holiday{{Name: "x", From: Date{2026, 3, 5}, To: Date{2026, 3, 1}}}}); err == nil {
		t.Error("reversed holiday accepted")
	}
	if _, err := New(Data{TimeZone: "Mars/Base"}); err == nil {
		t.Error("unknown zone accepted")
	}
}

func TestDateStartIsMidnightInTheZone(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	d, err := ParseDate("2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Start(cst); !got.Equal(time.Date(2026, 11, 26, 16, 0, 0, 0, time.UTC)) {
		t.Fatalf("start of 2026-11-27 in China time = %v", got.UTC())
	}
}
