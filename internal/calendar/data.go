package calendar

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Holiday is a run of days off, From to To inclusive.
type Holiday struct {
	Name        string
	From, To    Date
	Provisional bool // not yet published officially
}

// Workday is a day off made a working day: a national make-up day (调休上班) on a
// weekend, or a shop's own working day on a public holiday.
type Workday struct {
	Name        string
	Date        Date
	Provisional bool
}

// Data is one layer of calendar data: the shipped national data, or a shop's overrides.
type Data struct {
	TimeZone string // IANA name; empty keeps the layer below's zone (default Asia/Shanghai)
	Holidays []Holiday
	Workdays []Workday
}

// LineError is a problem in a calendar file, with the line it is on.
type LineError struct {
	Line    int
	Problem string
}

func (e *LineError) Error() string { return fmt.Sprintf("第%d行: %s", e.Line, e.Problem) }

//go:embed cn_holidays.yaml
var cnHolidays []byte

// DefaultData is mainland China's holiday arrangement shipped with shouhou. It panics
// if the embedded file is broken, which its test rules out.
func DefaultData() Data {
	d, err := Parse(cnHolidays)
	if err != nil {
		panic(fmt.Sprintf("calendar: embedded cn_holidays.yaml: %v", err))
	}
	return d
}

// Load reads a calendar file; see Parse.
func Load(r io.Reader) (Data, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return Data{}, fmt.Errorf("calendar: read: %w", err)
	}
	return Parse(b)
}

type rawFile struct {
	TimeZone string       `yaml:"time_zone"`
	Holidays []rawHoliday `yaml:"holidays"`
	Workdays []rawWorkday `yaml:"workdays"`
}

type rawHoliday struct {
	Name        string `yaml:"name"`
	From        string `yaml:"from"`
	To          string `yaml:"to"`
	Provisional bool   `yaml:"provisional"`
}

type rawWorkday struct {
	Name        string `yaml:"name"`
	Date        string `yaml:"date"`
	Provisional bool   `yaml:"provisional"`
}

// Parse reads a calendar file (the format of cn_holidays.yaml). Every problem comes
// back as a *LineError naming its line: unknown keys, bad dates, a holiday ending
// before it starts, a day both off and on in the same file.
func Parse(b []byte) (Data, error) {
	file, err := parser.ParseBytes(b, 0)
	if err != nil {
		return Data{}, fmt.Errorf("calendar: %w", err)
	}
	var raw rawFile
	if err := yaml.UnmarshalWithOptions(b, &raw, yaml.Strict()); err != nil {
		return Data{}, fmt.Errorf("calendar: %w", err)
	}
	p := &fileParser{file: file}
	d := p.data(raw)
	if err := errors.Join(p.errs...); err != nil {
		return Data{}, fmt.Errorf("calendar: %w", err)
	}
	return d, nil
}

type fileParser struct {
	file *ast.File
	errs []error
}

func (p *fileParser) data(raw rawFile) Data {
	d := Data{TimeZone: raw.TimeZone}
	if raw.TimeZone != "" {
		if _, err := time.LoadLocation(raw.TimeZone); err != nil {
			p.fail("$.time_zone", fmt.Sprintf("未知的时区 %q", raw.TimeZone))
		}
	}
	off := map[Date]bool{}
	for i, h := range raw.Holidays {
		at := fmt.Sprintf("$.holidays[%d]", i)
		p.requireName(at, h.Name)
		from, to := p.span(at, h)
		for day := from; !to.Before(day); day = day.AddDays(1) {
			off[day] = true
		}
		d.Holidays = append(d.Holidays, Holiday{Name: h.Name, From: from, To: to, Provisional: h.Provisional})
	}
	for i, w := range raw.Workdays {
		at := fmt.Sprintf("$.workdays[%d]", i)
		p.requireName(at, w.Name)
		day, ok := p.date(at+".date", w.Date)
		if ok && off[day] {
			p.fail(at+".date", fmt.Sprintf("%s 同时被列为假期和调休上班日", day))
		}
		d.Workdays = append(d.Workdays, Workday{Name: w.Name, Date: day, Provisional: w.Provisional})
	}
	return d
}

// span reads a holiday's dates; a missing "to" means a single day. When a date is bad
// it returns an empty span so that no day is marked.
func (p *fileParser) span(at string, h rawHoliday) (from, to Date) {
	from, okFrom := p.date(at+".from", h.From)
	to, okTo := from, okFrom
	if h.To != "" {
		to, okTo = p.date(at+".to", h.To)
	}
	if !okFrom || !okTo {
		return Date{}, Date{}.AddDays(-1)
	}
	if to.Before(from) {
		p.fail(at+".to", fmt.Sprintf("假期结束日 %s 早于开始日 %s", to, from))
	}
	return from, to
}

func (p *fileParser) date(path, s string) (Date, bool) {
	if s == "" {
		p.fail(path, "缺少日期")
		return Date{}, false
	}
	d, err := ParseDate(s)
	if err != nil {
		p.fail(path, err.Error())
		return Date{}, false
	}
	return d, true
}

func (p *fileParser) requireName(path, name string) {
	if name == "" {
		p.fail(path, "缺少名称 name")
	}
}

// fail records a problem at the line of the node at path, or of its parent when the
// key is missing.
func (p *fileParser) fail(path, problem string) {
	p.errs = append(p.errs, &LineError{Line: p.line(path), Problem: problem})
}

func (p *fileParser) line(path string) int {
	for {
		if yp, err := yaml.PathString(path); err == nil {
			if n, err := yp.FilterFile(p.file); err == nil && n != nil {
				return n.GetToken().Position.Line
			}
		}
		i := lastSep(path)
		if i <= 1 {
			return 0
		}
		path = path[:i]
	}
}

// lastSep is the index of the last "." or "[" in a YAML path.
func lastSep(path string) int {
	for i := len(path) - 1; i > 0; i-- {
		if path[i] == '.' || path[i] == '[' {
			return i
		}
	}
	return 0
}
