package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is a shouhou process started from the built binary.
type server struct {
	cmd  *exec.Cmd
	base string
}

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
)

// buildBinary builds the shouhou binary once for all the tests that run it.
func buildBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "shouhou-bin-")
		if err != nil {
			buildErr = err
			return
		}
		builtBin = filepath.Join(dir, "shouhou")
		if out, err := exec.Command("go", "build", "-o", builtBin, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServer(t *testing.T, bin, data, addr string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--addr", addr)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, base: "http://" + addr}
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(s.base + "/healthz"); err == nil {
			resp.Body.Close()
			return s
		}
	}
	cmd.Process.Kill()
	t.Fatal("server did not come up")
	return nil
}

func login(t *testing.T, base, user, password string) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := c.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"`+user+`","password":"`+password+`"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	return c
}

func postJSON(c *http.Client, url string, body any, headers ...string) (int, map[string]any, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", url, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out, nil
}

func intakeBody(order string) map[string]any {
	return map[string]any{"customer_name": "压测顾客", "platform": "taobao", "order_no": order, "amount": 50,
		"type": "logistics.chase", "description": "物流不动"}
}

// TestAcknowledgedWritesSurviveSIGKILL kills the server in the middle of a burst of
// writes and checks, after a restart, that every write that got a 2xx is there.
func TestAcknowledgedWritesSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	data := t.TempDir()
	if out, err := exec.Command(bin, "user", "add", "crash", "--create", "--data", data, "--password", "password1").CombinedOutput(); err != nil {
		t.Fatalf("user add: %v %s", err, out)
	}
	addr := freeAddr(t)
	srv := startServer(t, bin, data, addr)
	client := login(t, srv.base, "crash", "password1")
	status, created, err := postJSON(client, srv.base+"/api/v1/cases", intakeBody("CRASH0001"))
	if err != nil || status != 201 {
		t.Fatalf("create: %d %v", status, err)
	}
	caseURL := fmt.Sprintf("%s/api/v1/cases/%v", srv.base, created["id"])

	var mu sync.Mutex
	ackedMessages := map[string]bool{}
	ackedCases := map[string]float64{}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if i%5 == 4 { // every fifth write opens a case
					key := fmt.Sprintf("w%d-c%d", w, i)
					status, body, err := postJSON(client, srv.base+"/api/v1/cases", intakeBody("CR"+key[1:]), "Idempotency-Key", key)
					if err == nil && status == 201 {
						mu.Lock()
						ackedCases[key] = body["id"].(float64)
						mu.Unlock()
					}
					continue
				}
				text := fmt.Sprintf("w%d-m%d", w, i)
				status, _, err := postJSON(client, caseURL+"/events", map[string]any{"type": "message.sent", "payload": map[string]any{"text": text}})
				if err != nil {
					return // the server is gone
				}
				if status == 200 {
					mu.Lock()
					ackedMessages[text] = true
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(700 * time.Millisecond)
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	close(stop)
	wg.Wait()
	if len(ackedMessages) < 50 {
		t.Fatalf("only %d writes were acknowledged before the kill: the burst did not run", len(ackedMessages))
	}

	srv = startServer(t, bin, data, addr)
	defer func() { srv.cmd.Process.Kill(); srv.cmd.Wait() }()
	client = login(t, srv.base, "crash", "password1")
	resp, err := client.Get(caseURL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Events []struct {
			Type    string
			Payload struct{ Text string }
		}
	}
	json.NewDecoder(resp.Body).Decode(&log)
	resp.Body.Close()
	stored := map[string]bool{}
	for _, e := range log.Events {
		stored[e.Payload.Text] = true
	}
	for text := range ackedMessages {
		if !stored[text] {
			t.Errorf("acknowledged message %s is missing after the restart", text)
		}
	}
	for key, id := range ackedCases {
		resp, err := client.Get(fmt.Sprintf("%s/api/v1/cases/%v", srv.base, id))
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("acknowledged case %s (#%v) is missing after the restart", key, id)
		}
		resp.Body.Close()
	}
	t.Logf("%d acknowledged messages and %d acknowledged cases all present after SIGKILL", len(ackedMessages), len(ackedCases))
}
