package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func run(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("shouhou %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestAdminCommandsMigrateAddUsersAndBackUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	run(t, bin, "migrate", "--create", "--data", data)
	if out := run(t, bin, "user", "add", "laowang", "--role", "supervisor", "--password", "password1", "--data", data); !strings.Contains(out, "supervisor") {
		t.Fatalf("user add: %s", out)
	}
	if out, err := exec.Command(bin, "user", "add", "x", "--role", "boss", "--password", "password1", "--data", data).CombinedOutput(); err == nil || !strings.Contains(string(out), "角色") {
		t.Fatalf("a bad role was accepted: %s", out)
	}
	backup := filepath.Join(t.TempDir(), "copy.tar.gz")
	run(t, bin, "backup", "-o", backup, "--data", data)
	restored := filepath.Join(t.TempDir(), "restored")
	run(t, bin, "restore", backup, "--data", restored)
	addr := freeAddr(t)
	srv := startServer(t, bin, restored, addr)
	defer func() { srv.cmd.Process.Kill(); srv.cmd.Wait() }()
	login(t, srv.base, "laowang", "password1") // fails the test unless the user is in the restored copy
}

func TestDemoServesSampleCasesWithThePrintedSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "demo", "--data", data, "--addr", addr)
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	lines := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	password := ""
	deadline := time.After(30 * time.Second)
	for password == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatal("demo exited")
			}
			if f := strings.Fields(line); len(f) == 4 && f[1] == "xiaomei" {
				password = f[3]
			}
		case <-deadline:
			t.Fatal("the demo printed no sign-in for xiaomei")
		}
	}
	client := login(t, "http://"+addr, "xiaomei", password)
	resp, err := client.Get("http://" + addr + "/api/v1/cases?limit=200")
	if err != nil {
		t.Fatal(err)
	}
	var page struct{ Cases []struct{ Type string } }
	json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if len(page.Cases) < 20 {
		t.Fatalf("the demo serves %d cases", len(page.Cases))
	}
	cmd.Process.Kill()
	cmd.Wait()
	if out := run(t, bin, "corpus", "export", "--data", data); !strings.Contains(out, `"text"`) {
		t.Fatalf("corpus export of the demo: %s", out)
	}
	// The demo's cases are in the rollups already; a rebuild finds each of them.
	if out := run(t, bin, "reports", "rebuild", "--data", data); !strings.Contains(out, "rebuilt the report rollups of") || strings.Contains(out, "of 0 cases") {
		t.Fatalf("reports rebuild of the demo: %s", out)
	}
	// The register as a workbook that opens, one row per case after the header.
	file := filepath.Join(t.TempDir(), "登记表.xlsx")
	if out := run(t, bin, "export", "register", "--data", data, "--format", "xlsx", "--out", file); !strings.Contains(out, "exported") {
		t.Fatalf("export register: %s", out)
	}
	book, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if rows, err := book.GetRows("登记表"); err != nil || len(rows) < 21 || rows[0][0] != "日期" {
		t.Fatalf("exported workbook: %d rows %v", len(rows), err)
	}
	if out := runFails(t, bin, "export", "register", "--data", data, "--format", "pdf", "--out", file+".pdf"); !strings.Contains(out, "导出格式须为") {
		t.Fatalf("a bad format: %s", out)
	}
	if out := run(t, bin, "export", "register", "--data", data, "--shop", "main", "--format", "csv", "--out", file+".csv"); !strings.Contains(out, "exported") {
		t.Fatalf("export of shop main: %s", out)
	}
	if out := runFails(t, bin, "export", "register", "--data", data, "--shop", "nope", "--format", "csv", "--out", file+".csv"); !strings.Contains(out, "没有代码为「nope」的店铺") {
		t.Fatalf("an unknown shop: %s", out)
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if builtBin != "" {
		os.RemoveAll(filepath.Dir(builtBin))
	}
	os.Exit(code)
}

// runFails runs shouhou expecting it to fail and returns its output.
func runFails(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err == nil {
		t.Fatalf("shouhou %s succeeded:\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}
