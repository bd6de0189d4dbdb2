package script

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// OverrideStore keeps a shop's changes to the library.
type OverrideStore interface {
	ScriptOverrides(ctx context.Context) ([]store.ScriptOverride, error)
	SaveScriptOverride(ctx context.Context, o store.ScriptOverride) error
}

// Service is the shop's script library: the built-in scripts with the shop's changes
// laid over them, so that a release can improve a default the shop never touched.
type Service struct {
	store    OverrideStore
	defaults *Library
	now      func() time.Time
}

// NewService builds the library service over the embedded defaults.
func NewService(st OverrideStore, now func() time.Time) (*Service, error) {
	defaults, err := LoadDefault()
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Service{store: st, defaults: defaults, now: now}, nil
}

// Library is the current library.
func (s *Service) Library(ctx context.Context) (*Library, error) {
	overrides, err := s.store.ScriptOverrides(ctx)
	if err != nil {
		return nil, err
	}
	lib := s.defaults
	for _, o := range overrides {
		if o.Deleted {
			lib = lib.Without(o.ID)
			continue
		}
		var sc Script
		if err := json.Unmarshal(o.Body, &sc); err != nil {
			return nil, fmt.Errorf("stored script %s: %w", o.ID, err)
		}
		if lib, err = lib.With(sc); err != nil {
			return nil, fmt.Errorf("stored script %s: %w", o.ID, err)
		}
	}
	return lib, nil
}

// Save adds or replaces a script after validating it against the library's
// placeholders.
func (s *Service) Save(ctx context.Context, actor string, sc Script) (Script, error) {
	lib, err := s.Library(ctx)
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
	return sc, s.store.SaveScriptOverride(ctx, store.ScriptOverride{ID: sc.ID, Body: body, By: actor, At: s.now().UTC()})
}

// Delete hides a script, built-in or the shop's own.
func (s *Service) Delete(ctx context.Context, actor, id string) error {
	lib, err := s.Library(ctx)
	if err != nil {
		return err
	}
	if _, ok := lib.Get(id); !ok {
		return store.ErrNotFound
	}
	return s.store.SaveScriptOverride(ctx, store.ScriptOverride{ID: id, Body: []byte("{}"), Deleted: true, By: actor, At: s.now().UTC()})
}
