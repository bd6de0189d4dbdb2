package desk

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/script"
	"github.com/shouhou/shouhou/internal/shop"
	"github.com/shouhou/shouhou/internal/store"
)

// OverrideStore keeps a shop's changes to the script library.
type OverrideStore interface {
	ScriptOverrides(ctx context.Context) ([]store.ScriptOverride, error)
	SaveScriptOverride(ctx context.Context, o store.ScriptOverride) error
	RestoreScript(ctx context.Context, id, by string, at time.Time) error
	ScriptHistory(ctx context.Context, id string) ([]store.ScriptChange, error)
}

// ScriptBook is the shop's script library: the built-in scripts (internal/script, pure)
// with the shop's changes laid over them, so that a release can improve a default the
// shop never touched. The merged library is cached: a change made through this
// process is seen at once, one made by another server process within
// ScriptBookOpts.Refresh.
type ScriptBook struct {
	store    OverrideStore
	defaults *script.Library
	now      func() time.Time
	refresh  time.Duration

	mu       sync.Mutex
	cached   *script.Library
	cachedAt time.Time
}

// DefaultScriptRefresh is how long another process's edit may take to be seen.
const DefaultScriptRefresh = 10 * time.Second

// NewScriptBook builds the library over the embedded defaults; refresh 0 takes
// DefaultScriptRefresh.
func NewScriptBook(st OverrideStore, now func() time.Time, refresh time.Duration) (*ScriptBook, error) {
	defaults, err := script.LoadDefault()
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	if refresh <= 0 {
		refresh = DefaultScriptRefresh
	}
	return &ScriptBook{store: st, defaults: defaults, now: now, refresh: refresh}, nil
}

// Library is the current library.
func (b *ScriptBook) Library(ctx context.Context) (*script.Library, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cached != nil && b.now().Sub(b.cachedAt) < b.refresh {
		return b.cached, nil
	}
	lib, err := b.merge(ctx)
	if err != nil {
		return nil, err
	}
	b.cached, b.cachedAt = lib, b.now()
	return lib, nil
}

func (b *ScriptBook) merge(ctx context.Context) (*script.Library, error) {
	overrides, err := b.store.ScriptOverrides(ctx)
	if err != nil {
		return nil, err
	}
	lib := b.defaults
	for _, o := range overrides {
		if o.Deleted {
			lib = lib.Without(o.ID)
			continue
		}
		var sc script.Script
		if err := json.Unmarshal(o.Body, &sc); err != nil {
			return nil, fmt.Errorf("stored script %s: %w", o.ID, err)
		}
		if lib, err = lib.With(sc); err != nil {
			return nil, fmt.Errorf("stored script %s: %w", o.ID, err)
		}
	}
	return lib, nil
}

// forget drops the cached library after a change.
func (b *ScriptBook) forget() {
	b.mu.Lock()
	b.cached = nil
	b.mu.Unlock()
}

// Save adds or replaces a script after validating it against the library's
// placeholders.
func (b *ScriptBook) Save(ctx context.Context, actor string, sc script.Script) (script.Script, error) {
	lib, err := b.Library(ctx)
	if err != nil {
		return sc, err
	}
	if err := sc.ValidateWith(lib.Placeholders()); err != nil {
		return sc, err
	}
	body, err := json.Marshal(sc)
	if err != nil {
		return sc, err
	}
	defer b.forget()
	return sc, b.store.SaveScriptOverride(ctx, store.ScriptOverride{ID: sc.ID, Body: body, By: actor, At: b.now().UTC()})
}

// Delete hides a script, built-in or the shop's own.
func (b *ScriptBook) Delete(ctx context.Context, actor, id string) error {
	lib, err := b.Library(ctx)
	if err != nil {
		return err
	}
	if _, ok := lib.Get(id); !ok {
		return store.ErrNotFound
	}
	defer b.forget()
	return b.store.SaveScriptOverride(ctx, store.ScriptOverride{ID: id, Body: []byte("{}"), Deleted: true, By: actor, At: b.now().UTC()})
}

// Restore brings back the built-in version of a script the shop changed or hid.
func (b *ScriptBook) Restore(ctx context.Context, actor, id string) (script.Script, error) {
	def, ok := b.defaults.Get(id)
	if !ok {
		return script.Script{}, invalid("id", "只有内置话术可以恢复;店铺自己的话术请直接修改或删除")
	}
	defer b.forget()
	return def, b.store.RestoreScript(ctx, id, actor, b.now().UTC())
}

// Defaults are the built-in scripts.
func (b *ScriptBook) Defaults() []script.Script { return b.defaults.Scripts() }

// Default is the built-in version of a script, if there is one.
func (b *ScriptBook) Default(id string) (script.Script, bool) { return b.defaults.Get(id) }

// ScriptVersion is one entry of a script's history, with the script as it was saved.
type ScriptVersion struct {
	store.ScriptChange
	Script *script.Script `json:"script,omitempty"`
}

// History lists the changes to a script, newest first: who, when, and the text saved.
func (b *ScriptBook) History(ctx context.Context, id string) ([]ScriptVersion, error) {
	changes, err := b.store.ScriptHistory(ctx, id)
	if err != nil {
		return nil, err
	}
	out := make([]ScriptVersion, len(changes))
	for i, c := range changes {
		out[i].ScriptChange = c
		if c.Action == "save" {
			var sc script.Script
			if json.Unmarshal(c.Body, &sc) == nil {
				out[i].Script = &sc
			}
		}
	}
	return out, nil
}

// Lint warns about a reply (negative words without an explanation, apology loops,
// arguing); it never blocks.
func (d *Desk) Lint(text string, history ...script.Outgoing) []script.Warning {
	return d.linter.Lint(text, history)
}

// Soothing reports whether a sent message only soothes or apologises (the linter's
// reading, which the soothing-loop warning also uses).
func (d *Desk) Soothing(o script.Outgoing) bool { return d.linter.Soothing(o) }

// ScriptBook is the shop's script library the desk fills scripts from (nil: none).
func (d *Desk) ScriptBook() *ScriptBook { return d.scripts }

// FilledScript is a script with the case's values in its placeholders and the names
// the agent still has to fill.
type FilledScript struct {
	script.Script
	Filled  string   `json:"filled"`
	Missing []string `json:"missing,omitempty"`
}

// StepScripts are the scripts for the case's current step, best first, filled from
// the case: the ones its flow asks for, and for an upset or angry customer who has not
// been soothed yet the 安抚 scripts first (SOP §1: soothe, then move on). The API and
// the workbench both show this list.
func (d *Desk) StepScripts(ctx context.Context, u store.User, c cases.Case, events []cases.Event, g playbook.Guide) (cases.Stage, []FilledScript, error) {
	if d.scripts == nil {
		return c.Stage, nil, nil
	}
	lib, err := d.scripts.Library(ctx)
	if err != nil {
		return c.Stage, nil, err
	}
	stage := c.Stage
	if g.Step != nil {
		stage = g.Step.Stage
	}
	list := lib.ForWants(wantsOf(g.Scripts), stage, c.Type, c.Platform)
	if needsSoothing(c, events) {
		soothe := lib.ForStep(cases.StageSoothe, c.Type, "", c.Platform)
		list = append(soothe, slices.DeleteFunc(list, func(s script.Script) bool {
			return slices.ContainsFunc(soothe, func(o script.Script) bool { return o.ID == s.ID })
		})...)
	}
	values, err := d.PlaceholderValues(ctx, u, c)
	if err != nil {
		return stage, nil, err
	}
	out := make([]FilledScript, 0, len(list))
	for _, sc := range list {
		filled, missing := script.Fill(sc.Text, values)
		out = append(out, FilledScript{Script: sc, Filled: filled, Missing: missing})
	}
	return stage, out, nil
}

// PlaceholderValues fill a script for this case and this agent: the case's values
// ({订单号}, {快递单号} …), its shop's ({店铺名}, the {退货地址} of the case's product
// line; internal/shop) and the agent's ({客服工号}).
func (d *Desk) PlaceholderValues(ctx context.Context, u store.User, c cases.Case) (map[string]string, error) {
	values := script.ValuesFromCase(&c)
	sh, err := d.placeholderShop(ctx, c)
	if err != nil {
		return nil, err
	}
	maps.Copy(values, shop.Values(sh, c))
	maps.Copy(values, shop.AgentValues(u))
	return values, nil
}

// needsSoothing: an upset or angry customer to whom nothing soothing has been sent.
func needsSoothing(c cases.Case, events []cases.Event) bool {
	if c.Emotion != cases.EmotionAngry && c.Emotion != cases.EmotionUpset {
		return false
	}
	return !slices.ContainsFunc(events, func(e cases.Event) bool {
		m, ok := cases.PayloadAs[cases.MessagePayload](e)
		return ok && e.Type == cases.EvMessageOut && m.Intent == script.IntentSoothe
	})
}

func wantsOf(refs []playbook.ScriptRef) []script.Want {
	wants := make([]script.Want, len(refs))
	for i, ref := range refs {
		wants[i] = script.Want{ID: ref.ID, Stage: cases.Stage(ref.Stage), Type: cases.ProblemType(ref.Type), Solution: ref.Solution, Intent: ref.Intent}
	}
	return wants
}
