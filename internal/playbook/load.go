package playbook

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/shouhou/shouhou/internal/cases"
)

//go:embed flows/*.yaml
var embeddedFlows embed.FS

// DefaultFlows is the directory of the playbooks shipped with shouhou (SOP §6).
func DefaultFlows() fs.FS {
	sub, err := fs.Sub(embeddedFlows, "flows")
	if err != nil {
		panic(err) // the embed pattern above guarantees the directory exists
	}
	return sub
}

// LoadError is one problem found in a playbook file, with its position.
type LoadError struct {
	File    string
	Line    int
	Column  int
	Problem string
}

func (e *LoadError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Problem)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Problem)
}

// LoadOptions tunes Load. Types is the problem-type taxonomy flows may serve; nil means
// the default codes of SOP §8.
type LoadOptions struct {
	Types []cases.Code
}

// Set is a validated collection of flows, at most one per problem type.
type Set struct {
	flows []*Flow
}

// LoadDefault loads the embedded flows overridden by the *.yaml and *.yml files of dir
// (nil: none).
func LoadDefault(dir fs.FS) (*Set, error) {
	layers := []fs.FS{DefaultFlows()}
	if dir != nil {
		layers = append(layers, dir)
	}
	return Load(LoadOptions{}, layers...)
}

// Load reads the *.yaml and *.yml files of each layer in order; a flow whose id appears in a later
// layer replaces the earlier one, and new ids add flows. All problems found are returned
// joined, each a *LoadError naming file, line and cause.
func Load(opts LoadOptions, layers ...fs.FS) (*Set, error) {
	if opts.Types == nil {
		opts.Types = cases.ProblemTypes
	}
	merged := map[string]*parsedFlow{}
	var errs []error
	for _, layer := range layers {
		flows, err := loadLayer(layer, opts)
		errs = append(errs, err)
		for _, p := range flows {
			merged[p.flow.ID] = p
		}
	}
	errs = append(errs, checkTypesServedOnce(merged)...)
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	set := &Set{}
	for _, p := range merged {
		set.flows = append(set.flows, p.flow)
	}
	slices.SortFunc(set.flows, func(a, b *Flow) int { return strings.Compare(a.ID, b.ID) })
	return set, nil
}

type parsedFlow struct {
	flow *Flow
	doc  *ast.File
}

func loadLayer(layer fs.FS, opts LoadOptions) ([]*parsedFlow, error) {
	names, err := fs.Glob(layer, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list playbooks: %w", err)
	}
	// *.yml is the same format under the other common extension; ignoring it would
	// drop a shop's flow without a word.
	yml, err := fs.Glob(layer, "*.yml")
	if err != nil {
		return nil, fmt.Errorf("list playbooks: %w", err)
	}
	names = append(names, yml...)
	slices.Sort(names)
	var flows []*parsedFlow
	var errs []error
	seen := map[string]string{}
	for _, name := range names {
		p, err := loadFile(layer, name, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := seen[p.flow.ID]; dup {
			errs = append(errs, locate(p, "$.id", "flow id %q is also defined in %s", p.flow.ID, other))
			continue
		}
		seen[p.flow.ID] = name
		flows = append(flows, p)
	}
	return flows, errors.Join(errs...)
}

func loadFile(layer fs.FS, name string, opts LoadOptions) (*parsedFlow, error) {
	data, err := fs.ReadFile(layer, name)
	if err != nil {
		return nil, &LoadError{File: name, Problem: err.Error()}
	}
	p, err := parseFlow(name, data)
	if err != nil {
		return nil, err
	}
	if err := validateFlow(p, opts); err != nil {
		return nil, err
	}
	return p, nil
}

// parseFlow turns one file into a Flow and keeps its syntax tree to place later errors.
func parseFlow(name string, data []byte) (p *parsedFlow, err error) {
	// Playbooks are edited by hand; a panic of the YAML library on odd input must
	// become an error naming the file, not a crash of the server.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &LoadError{File: name, Problem: fmt.Sprintf("unreadable YAML: %v", r)}
		}
	}()
	doc, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(name, err)
	}
	var flow Flow
	dec := yaml.NewDecoder(bytes.NewReader(data), yaml.DisallowUnknownField())
	if err := dec.Decode(&flow); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &LoadError{File: name, Problem: "empty playbook"}
		}
		return nil, yamlError(name, err)
	}
	flow.File = name
	return &parsedFlow{flow: &flow, doc: doc}, nil
}

func yamlError(file string, err error) *LoadError {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return &LoadError{File: file, Line: pos.Line, Column: pos.Column, Problem: ye.GetMessage()}
	}
	return &LoadError{File: file, Problem: err.Error()}
}

// locate builds a LoadError at the node of a YAML path such as "$.steps[2].to"; when the
// node is absent it falls back to its nearest ancestor.
func locate(p *parsedFlow, at string, format string, args ...any) *LoadError {
	e := &LoadError{File: p.flow.File, Problem: fmt.Sprintf(format, args...)}
	for at != "" && at != "$" {
		if line, col, ok := nodePosition(p.doc, at); ok {
			e.Line, e.Column = line, col
			return e
		}
		at = parentPath(at)
	}
	return e
}

func nodePosition(doc *ast.File, at string) (line, col int, ok bool) {
	pth, err := yaml.PathString(at)
	if err != nil || doc == nil {
		return 0, 0, false
	}
	node, err := pth.FilterFile(doc)
	if err != nil || node == nil || node.GetToken() == nil {
		return 0, 0, false
	}
	pos := node.GetToken().Position
	return pos.Line, pos.Column, true
}

func parentPath(at string) string {
	i := strings.LastIndexAny(at, ".[")
	if i <= 0 {
		return ""
	}
	return at[:i]
}

func checkTypesServedOnce(flows map[string]*parsedFlow) []error {
	owner := map[cases.ProblemType]*parsedFlow{}
	ids := make([]string, 0, len(flows))
	for id := range flows {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var errs []error
	for _, id := range ids {
		p := flows[id]
		for i, t := range p.flow.Types {
			if first, dup := owner[t]; dup {
				errs = append(errs, locate(p, fmt.Sprintf("$.types[%d]", i),
					"problem type %q is already served by flow %q (%s)", t, first.flow.ID, first.flow.File))
				continue
			}
			owner[t] = p
		}
	}
	return errs
}

// Flows lists the flows by id.
func (s *Set) Flows() []*Flow { return slices.Clone(s.flows) }

// Flow returns the flow with the given id.
func (s *Set) Flow(id string) (*Flow, bool) {
	i := slices.IndexFunc(s.flows, func(f *Flow) bool { return f.ID == id })
	if i < 0 {
		return nil, false
	}
	return s.flows[i], true
}

// ForType returns the flow serving a problem type.
func (s *Set) ForType(t cases.ProblemType) (*Flow, bool) {
	i := slices.IndexFunc(s.flows, func(f *Flow) bool { return slices.Contains(f.Types, t) })
	if i < 0 {
		return nil, false
	}
	return s.flows[i], true
}

// Unserved lists the codes of a taxonomy that no flow serves.
func (s *Set) Unserved(types []cases.Code) []cases.ProblemType {
	var out []cases.ProblemType
	for _, c := range types {
		if _, ok := s.ForType(cases.ProblemType(c.Code)); !ok {
			out = append(out, cases.ProblemType(c.Code))
		}
	}
	return out
}
