// Package sop loads a shop's SOP: the built-in defaults of every flow, money rule and
// holiday, overridden by the shop's own files, validated together at start-up so that
// a mistake stops the server with the file, line and cause instead of surfacing later.
package sop

import (
	"fmt"
	"io/fs"
	"os"

	"github.com/shouhou/shouhou/internal/calendar"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/policy"
)

// Files name the shop's overrides; empty means the built-in default.
type Files struct {
	Policy    string // money rules (docs/POLICY.md)
	Calendar  string // extra holidays and make-up working days
	Playbooks string // directory of flow files (docs/PLAYBOOKS.md)
	Engine    string // guide engine settings: soothing limit, stuck-in-stage times …
}

// SOP is the loaded, validated rule set.
type SOP struct {
	Flows    *playbook.Set
	Engine   *playbook.Engine
	Policy   policy.Policy
	Calendar *calendar.Calendar
}

// LoadPolicy reads the money rules: the defaults with the shop's file (path) over them.
func LoadPolicy(path string) (policy.Policy, error) {
	pol := policy.Default()
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return policy.Policy{}, fmt.Errorf("policy: %w", err)
		}
		if pol, err = policy.Parse(raw); err != nil {
			return policy.Policy{}, fmt.Errorf("%s: %w", path, err)
		}
	}
	p, err := policy.New(pol)
	if err != nil {
		return policy.Policy{}, fmt.Errorf("policy: %w", err)
	}
	return p, nil
}

// Load reads the defaults and the shop's files.
func Load(f Files) (*SOP, error) {
	p, err := LoadPolicy(f.Policy)
	if err != nil {
		return nil, err
	}
	cal, err := loadCalendar(f.Calendar)
	if err != nil {
		return nil, err
	}
	flows, engine, err := loadEngine(f, cal)
	if err != nil {
		return nil, err
	}
	return &SOP{Flows: flows, Engine: engine, Policy: p, Calendar: cal}, nil
}

func loadCalendar(path string) (*calendar.Calendar, error) {
	if path == "" {
		return calendar.Default(), nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("calendar: %w", err)
	}
	defer f.Close()
	shop, err := calendar.Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return calendar.New(calendar.DefaultData(), shop)
}

func loadEngine(f Files, days playbook.WorkingDays) (*playbook.Set, *playbook.Engine, error) {
	var shop fs.FS
	if f.Playbooks != "" {
		// os.DirFS of a missing folder lists nothing: a mistyped path would silently
		// run the built-in flows.
		if fi, err := os.Stat(f.Playbooks); err != nil {
			return nil, nil, fmt.Errorf("playbooks: %w", err)
		} else if !fi.IsDir() {
			return nil, nil, fmt.Errorf("playbooks: %s is not a directory", f.Playbooks)
		}
		shop = os.DirFS(f.Playbooks)
	}
	flows, err := playbook.LoadDefault(shop)
	if err != nil {
		return nil, nil, fmt.Errorf("playbooks: %w", err)
	}
	cfg := playbook.DefaultConfig()
	if f.Engine != "" {
		raw, err := os.ReadFile(f.Engine)
		if err != nil {
			return nil, nil, fmt.Errorf("engine config: %w", err)
		}
		if cfg, err = playbook.LoadConfig(raw); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Engine, err)
		}
	}
	engine, err := playbook.New(flows, cfg, days)
	return flows, engine, err
}
