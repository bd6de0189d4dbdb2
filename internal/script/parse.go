package script

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

//go:embed data/default.yaml
var defaultYAML []byte

// file is the YAML layout of a library: extra placeholders of the shop, then scripts.
type file struct {
	Placeholders []Placeholder `yaml:"placeholders,omitempty"`
	Scripts      []Script      `yaml:"scripts"`
}

// ParseError is a problem in a library file, at a line (1-based; 0 when unknown).
type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("第%d行: %v", e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// LoadDefault returns the default library of the seeds.
func LoadDefault() (*Library, error) {
	lib, err := Parse(defaultYAML)
	if err != nil {
		return nil, fmt.Errorf("default library: %w", err)
	}
	return lib, nil
}

// Parse reads a library file. Every problem is reported, each as a *ParseError naming
// its line, so that a supervisor can fix a file in one pass.
func Parse(data []byte) (*Library, error) {
	var f file
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict()); err != nil {
		return nil, yamlError(err)
	}
	tree, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, yamlError(err)
	}
	var errs []error
	placeholders, problems := mergePlaceholders(f.Placeholders)
	for i, err := range problems {
		if err != nil {
			errs = append(errs, &ParseError{Line: lineOf(tree, "placeholders", i), Err: err})
		}
	}
	seen := map[string]int{}
	for i, s := range f.Scripts {
		line := lineOf(tree, "scripts", i)
		if err := s.ValidateWith(placeholders); err != nil {
			errs = append(errs, &ParseError{Line: line, Err: err})
		}
		if first, dup := seen[s.ID]; dup {
			errs = append(errs, &ParseError{Line: line, Err: fmt.Errorf("编号“%s”重复，第%d行已使用", s.ID, first)})
		}
		seen[s.ID] = line
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &Library{scripts: f.Scripts, extra: f.Placeholders}, nil
}

// yamlError turns a YAML decoding error into a ParseError with its line.
func yamlError(err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		return &ParseError{Line: ye.GetToken().Position.Line, Err: &formatError{msg: ye.GetMessage(), err: err}}
	}
	return &ParseError{Err: &formatError{msg: err.Error(), err: err}}
}

// formatError keeps the YAML library's error for errors.As but shows only its message,
// because the library's own text repeats the position and quotes the source.
type formatError struct {
	msg string
	err error
}

func (e *formatError) Error() string { return "YAML 格式错误: " + e.msg }
func (e *formatError) Unwrap() error { return e.err }

// lineOf finds the line of the i-th item of a top-level list, or 0.
func lineOf(tree *ast.File, key string, i int) int {
	path, err := yaml.PathString(fmt.Sprintf("$.%s[%d]", key, i))
	if err != nil {
		return 0
	}
	node, err := path.FilterFile(tree)
	if err != nil || node == nil || node.GetToken() == nil {
		return 0
	}
	return node.GetToken().Position.Line
}

func (p Placeholder) validate() error {
	switch {
	case strings.TrimSpace(p.Name) == "":
		return errors.New("占位符名称为空")
	case strings.ContainsAny(p.Name, "{}｛｝\n"):
		return fmt.Errorf("占位符名称“%s”不能含花括号或换行", p.Name)
	case strings.TrimSpace(p.Description) == "":
		return fmt.Errorf("占位符“%s”缺少说明", p.Name)
	}
	return nil
}

// mergePlaceholders appends the shop's placeholders to the defaults; problems[i] is
// the problem of extra[i], or nil.
func mergePlaceholders(extra []Placeholder) (all []Placeholder, problems []error) {
	all = DefaultPlaceholders()
	problems = make([]error, len(extra))
	for i, p := range extra {
		problems[i] = p.validate()
		if problems[i] == nil && slices.ContainsFunc(all, func(q Placeholder) bool { return q.Name == p.Name }) {
			problems[i] = fmt.Errorf("占位符“%s”重复定义", p.Name)
		}
		all = append(all, p)
	}
	return all, problems
}
