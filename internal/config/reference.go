package config

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
)

// Key is one configuration key as the reference lists it.
type Key struct {
	Name    string // dotted YAML path, e.g. sla.levels.1.resolve_hours
	Env     string // environment variable, if any
	Flag    string // command-line flag, if any
	Default string
	Doc     string
}

// slaDocs describe the keys of clock.SLA, which lives in another package.
var slaDocs = map[string]string{
	"first_response_hours": "hours to the first answer of a level-%d case (SOP §3)",
	"resolve_hours":        "hours to the resolution of a level-%d case (SOP §3)",
}

// Keys lists every configuration key with its default, walking the Config struct so
// that a new field appears here (and in docs/CONFIG.md) without anyone remembering to.
func Keys() []Key {
	var keys []Key
	walk(reflect.ValueOf(Default()), "", &keys)
	return keys
}

func walk(v reflect.Value, prefix string, keys *[]Key) {
	t := v.Type()
	if t == reflect.TypeOf(clock.SLA{}) {
		sla := v.Interface().(clock.SLA)
		levels := make([]cases.Level, 0, len(sla.Levels))
		for l := range sla.Levels {
			levels = append(levels, l)
		}
		slices.Sort(levels)
		lt := reflect.TypeOf(clock.LevelSLA{})
		for _, l := range levels {
			lv := reflect.ValueOf(sla.Levels[l])
			for i := 0; i < lt.NumField(); i++ {
				name := yamlName(lt.Field(i))
				*keys = append(*keys, Key{Name: fmt.Sprintf("%slevels.%d.%s", prefix, l, name),
					Default: fmt.Sprint(lv.Field(i).Interface()), Doc: fmt.Sprintf(slaDocs[name], l)})
			}
		}
		walk(reflect.ValueOf(sla.BusinessHours), prefix+"business_hours.", keys)
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := prefix + yamlName(f)
		fv := v.Field(i)
		if f.Type.Kind() == reflect.Struct && f.Type != reflect.TypeOf(Duration{}) {
			walk(fv, name+".", keys)
			continue
		}
		def := fmt.Sprint(fv.Interface())
		if d, ok := fv.Interface().(Duration); ok {
			def = d.Duration.String()
		}
		*keys = append(*keys, Key{Name: name, Env: f.Tag.Get("env"), Flag: f.Tag.Get("flag"), Default: def, Doc: f.Tag.Get("doc")})
	}
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// Reference is docs/CONFIG.md: every key, its environment variable or flag, default
// and meaning (`shouhou config reference` prints it).
func Reference() string {
	var b strings.Builder
	b.WriteString(`# Configuration reference

Generated from the Config struct (internal/config) by ` + "`shouhou config reference`" + `;
a test fails when this file and the code disagree. Defaults, then the YAML file
(` + "`--config FILE`" + ` or ` + "`SHOUHOU_CONFIG`" + `), then environment variables, then flags.

- Unknown keys are errors, so a typo never silently falls back to a default.
- Relative paths in the file are resolved from the file's folder; from the environment
  or a flag, from the working directory.
- Every file and folder named here must exist, or the command stops and names it.
- A file names only what it changes, at any depth: ` + "`sla: {levels: {1: {resolve_hours: 12}}}`" + `
  keeps every other SLA number.
- These are the defaults of every shop. A shop may override, for itself only, the SLA
  hours of a level, its return freight and the agents' approval limit of the policy
  file (workbench 店铺 or ` + "`/api/v1/shops`" + `;
  docs/SHOPS.md); the number stays here as the default.

| key | env / flag | default | meaning |
|---|---|---|---|
`)
	for _, k := range Keys() {
		via := k.Env
		if k.Flag != "" {
			via = strings.Trim(via+" / "+k.Flag, " /")
		}
		def := k.Default
		if def == "" {
			def = "(empty)"
		}
		fmt.Fprintf(&b, "| `%s` | %s | `%s` | %s |\n", k.Name, code(via), def, k.Doc)
	}
	return b.String()
}

func code(s string) string {
	if s == "" {
		return ""
	}
	parts := strings.Split(s, " / ")
	for i, p := range parts {
		parts[i] = "`" + p + "`"
	}
	return strings.Join(parts, " / ")
}
