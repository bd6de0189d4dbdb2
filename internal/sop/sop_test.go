package sop

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/policy"
)

func TestDefaultsLoadWithoutFiles(t *testing.T) {
	s, err := Load(Files{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.Policy.Authorize(policy.RoleAgent, cases.SolutionCompensation, money.Yuan(50))
	if err != nil || a.NeedsApproval {
		t.Fatalf("an agent's 50 yuan needs approval by default: %+v %v", a, err)
	}
}

func TestShopPolicyFileChangesTheAgentLimit(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "policy.yaml")
	os.WriteFile(file, []byte("role_limits:\n  agent: 80\n"), 0o600)
	s, err := Load(Files{Policy: file})
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Policy.Authorize(policy.RoleAgent, cases.SolutionCompensation, money.Yuan(80)); a.NeedsApproval {
		t.Fatal("the shop's 80 yuan agent limit was not applied")
	}
}

func TestBrokenFilesStopStartUpWithTheFileName(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "policy.yaml")
	os.WriteFile(bad, []byte("role_limts: {}\n"), 0o600)
	if _, err := Load(Files{Policy: bad}); err == nil || !strings.Contains(err.Error(), "policy.yaml") {
		t.Fatalf("misspelt policy key: %v", err)
	}
	flows := filepath.Join(dir, "flows")
	os.Mkdir(flows, 0o700)
	os.WriteFile(filepath.Join(flows, "leak.yaml"), []byte("id: leak\nname: x\ntypes: [quality.leak]\nstart: a\nsteps:\n  - id: a\n    stage: investigate\n"), 0o600)
	if _, err := Load(Files{Playbooks: flows}); err == nil || !strings.Contains(err.Error(), "leak.yaml") {
		t.Fatalf("broken playbook: %v", err)
	}
	if _, err := Load(Files{Calendar: filepath.Join(dir, "missing.yaml")}); err == nil {
		t.Fatal("missing calendar file accepted")
	}
}

func TestPlaybookDirMustExistAndYmlFilesAreRead(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(Files{Playbooks: filepath.Join(dir, "nonexistent")}); err == nil {
		t.Fatal("a missing playbooks_dir started with the built-in flows")
	}
	flows := filepath.Join(dir, "flows")
	os.Mkdir(flows, 0o700)
	// A broken *.yml must be read (and so refused), not ignored.
	os.WriteFile(filepath.Join(flows, "leak.yml"), []byte("id: leak\nname: x\ntypes: [quality.leak]\nstart: a\nsteps:\n  - id: a\n    stage: investigate\n"), 0o600)
	if _, err := Load(Files{Playbooks: flows}); err == nil || !strings.Contains(err.Error(), "leak.yml") {
		t.Fatalf("*.yml playbook ignored: %v", err)
	}
}
