// Package webtest starts a whole shouhou (API and workbench) on a temporary SQLite
// database for the workbench's handler, browser and performance tests.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/api"
	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/customer"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/money"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/timers"
	"github.com/shouhou/shouhou/internal/training"
	"github.com/shouhou/shouhou/internal/understand"
	"github.com/shouhou/shouhou/internal/uploadlink"
	"github.com/shouhou/shouhou/internal/web"
)

// Password is every test user's password.
const Password = "password1"

// Users of every test server: an agent (compensation limit 50 yuan by default), a
// second agent, a supervisor and an admin.
const (
	Agent      = "xiaomei"
	Agent2     = "xiaoli"
	Supervisor = "laowang"
	Admin      = "boss"
	// Warehouse receives returned parcels (仓库收货) and can do nothing else.
	Warehouse = "laozhou"
)

// Env is a running shouhou.
type Env struct {
	T      testing.TB
	Server *httptest.Server
	Store  *sqlstore.Store
	Desk   *desk.Desk
	Auth   *auth.Manager
	Dir    string
	// DeskOpts built Desk (for tools that need a desk of their own, such as the demo's
	// clock); Flows are the playbooks and Blobs the evidence store.
	DeskOpts desk.Opts
	Flows    *playbook.Set
	Blobs    blob.Store
	// Clock and Scheduler are set with Options.Timers: the clock stands still at
	// TimersStart until advanced, and the scheduler fires the durable timers.
	Clock     *clock.Source
	Scheduler *timers.Scheduler
	// Training is the 培训 space (its own database in Dir/training.db).
	Training *training.Space
}

// trainingSpace opens the training space beside the test's store, as serve does.
func trainingSpace(t testing.TB, dir string, o desk.Opts, st *sqlstore.Store, flows *playbook.Set, blobs blob.Store, real *desk.Desk) *training.Space {
	t.Helper()
	ctx := context.Background()
	ts, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "training.db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ts.Close() })
	if err := ts.StartCaseIDsAt(ctx, cases.TrainingCaseBase); err != nil {
		t.Fatal(err)
	}
	set, err := training.Load(flows, training.DefaultScenarios())
	if err != nil {
		t.Fatal(err)
	}
	space, err := training.NewSpace(ctx, training.Opts{Desk: o, Cases: ts, SOP: st, Records: st, Scenarios: set, Flows: flows, Blobs: blobs, Real: real})
	if err != nil {
		t.Fatal(err)
	}
	return space
}

// TimersStart is where the clock of an environment with timers starts: a Monday 09:00
// in Shanghai.
var TimersStart = time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)

// Options change the environment.
type Options struct {
	// Classifier builds the message classifier for the paste box.
	Classifier bool
	// Timers runs the durable timers on a settable clock (admins may advance it).
	Timers bool
	// Blobs replaces the evidence folder in the test's directory (e.g. an S3 store).
	Blobs blob.Store
	// Limits replaces the API's and the upload page's size limits; Links the upload
	// links' settings.
	Limits api.Limits
	Links  uploadlink.Config
}

var (
	classifierOnce sync.Once
	classifier     *understand.Classifier
	classifierErr  error
)

// New starts the API and the workbench on one mux, as `shouhou serve` does.
func New(t testing.TB, o Options) *Env {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "shouhou.db"), sqlstore.SQLiteOptions{Synchronous: "NORMAL"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	am, err := auth.New(auth.Opts{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	var blobs blob.Store = o.Blobs
	if blobs == nil {
		if blobs, err = blob.NewDir(filepath.Join(dir, "blobs")); err != nil {
			t.Fatal(err)
		}
	}
	rules, err := sop.Load(sop.Files{})
	if err != nil {
		t.Fatal(err)
	}
	scripts, err := desk.NewScriptBook(st, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	deskOpts := desk.Opts{Store: st, SLA: clock.DefaultSLA(), Rules: rules.Engine, Limits: rules.Policy, Scripts: scripts,
		Users: st, Hub: notify.NewHub(), Links: o.Links, FollowUp: config.Default().FollowUp, Quality: config.Default().Alerts, Calendar: rules.Calendar}
	var src *clock.Source
	var alarm *timers.Alarm
	timing := config.Default().Timers
	if o.Timers {
		src, alarm = clock.NewSource(func() time.Time { return TimersStart }, 0), timers.NewAlarm()
		deskOpts.Now, deskOpts.Timing, deskOpts.Alarm, deskOpts.ClockControl, deskOpts.AllowClockAdvance = src.Now, timing, alarm, src, true
	}
	if o.Classifier {
		classifierOnce.Do(func() { classifier, classifierErr = understand.NewDefault(understand.DefaultConfig(), nil) })
		if classifierErr != nil {
			t.Fatal(classifierErr)
		}
		deskOpts.Classifier = classifier
	}
	d := desk.New(deskOpts)
	space := trainingSpace(t, dir, deskOpts, st, rules.Flows, blobs, d)
	wo := web.Opts{Desk: d, Auth: am, Flows: rules.Flows, Calendar: rules.Calendar, Training: space}
	if src != nil {
		wo.Now = src.Now
	}
	mux := http.NewServeMux()
	api.New(api.Opts{Desk: d, Auth: am, Blobs: blobs, Scripts: scripts, Limits: o.Limits, Training: space}).Register(mux)
	customer.New(customer.Opts{Desk: d, Blobs: blobs, Limits: o.Limits, TempDir: filepath.Join(dir, "uploads")}).Register(mux)
	w, err := web.New(wo)
	if err != nil {
		t.Fatal(err)
	}
	w.Register(mux)
	srv := httptest.NewServer(api.SanitizeForms(mux)) // as cmd/shouhou serves it
	t.Cleanup(srv.Close)
	for _, u := range []auth.NewUser{
		{Username: Agent, DisplayName: "小美", Role: store.RoleAgent, Password: Password},
		{Username: Agent2, DisplayName: "小李", Role: store.RoleAgent, Password: Password},
		{Username: Supervisor, DisplayName: "老王", Role: store.RoleSupervisor, Password: Password},
		{Username: Admin, DisplayName: "老板", Role: store.RoleAdmin, Password: Password},
		{Username: Warehouse, DisplayName: "老周", Role: store.RoleWarehouse, Password: Password},
	} {
		if _, err := am.AddUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	env := &Env{T: t, Server: srv, Store: st, Desk: d, Auth: am, Dir: dir, Clock: src, DeskOpts: deskOpts, Flows: rules.Flows, Blobs: blobs, Training: space}
	if o.Timers {
		env.Scheduler = timers.NewScheduler(d, src, alarm, timing, nil)
		runCtx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { env.Scheduler.Run(runCtx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
	}
	return env
}

// Client is a browser-like HTTP client: a cookie jar, no automatic redirects, and the
// Origin header a browser sends on form posts.
type Client struct {
	*http.Client
	Base string
}

// Anonymous returns a client without a session.
func (e *Env) Anonymous() *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{Base: e.Server.URL, Client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Login signs in through the login form.
func (e *Env) Login(username string) *Client {
	e.T.Helper()
	c := e.Anonymous()
	resp := c.PostForm("/login", url.Values{"username": {username}, "password": {Password}})
	if resp.StatusCode != http.StatusSeeOther {
		e.T.Fatalf("login %s: %d", username, resp.StatusCode)
	}
	return c
}

// Get fetches a path.
func (c *Client) Get(path string) *http.Response {
	resp, err := c.Client.Get(c.Base + path)
	if err != nil {
		panic(err)
	}
	return resp
}

// PostForm posts a form as a same-origin browser does.
func (c *Client) PostForm(path string, form url.Values) *http.Response {
	req, err := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", c.Base)
	resp, err := c.Do(req)
	if err != nil {
		panic(err)
	}
	return resp
}

// PostJSON posts a JSON body to the API as a same-origin page script does.
func (c *Client) PostJSON(path string, body any) *http.Response {
	raw, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.Base+path, bytes.NewReader(raw))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.Base)
	resp, err := c.Do(req)
	if err != nil {
		panic(err)
	}
	return resp
}

// Intake is a valid damaged-item intake form.
func Intake(orderNo string) cases.Intake {
	return cases.Intake{CustomerName: "王女士", CustomerPhone: "13800138000", Platform: cases.PlatformTaobao,
		OrderNo: orderNo, Amount: money.Yuan(199), Courier: "中通", TrackingNo: "ZT7788990011", SKU: "保温杯-500ml",
		Type: cases.TypeDamaged, Description: "收到杯子外壳裂了", Demand: cases.DemandCompensation, Emotion: cases.EmotionUpset}
}

// CreateCase opens a case as the user through the desk.
func (e *Env) CreateCase(user string, in cases.Intake, message string) cases.Case {
	e.T.Helper()
	u, err := e.Store.UserByName(context.Background(), user)
	if err != nil {
		e.T.Fatal(err)
	}
	c, _, err := e.Desk.Create(context.Background(), desk.Actor{Name: u.Username, Role: u.Role}, desk.NewCase{Intake: in, FirstMessage: message})
	if err != nil {
		e.T.Fatal(err)
	}
	return c
}
