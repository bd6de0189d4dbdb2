package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/shouhou/shouhou/internal/api"
	"github.com/shouhou/shouhou/internal/auth"
	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/cases"
	"github.com/shouhou/shouhou/internal/clock"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/customer"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/notify"
	"github.com/shouhou/shouhou/internal/platform"
	"github.com/shouhou/shouhou/internal/playbook"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store"
	"github.com/shouhou/shouhou/internal/store/pglisten"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
	"github.com/shouhou/shouhou/internal/timers"
	"github.com/shouhou/shouhou/internal/tracking"
	"github.com/shouhou/shouhou/internal/training"
	"github.com/shouhou/shouhou/internal/understand"
	"github.com/shouhou/shouhou/internal/web"
)

// loadConfig reads the configuration with the command line's --data and --addr last.
func loadConfig(g *globalFlags, addr string) (config.Config, error) {
	cfg, err := config.Load(g.configFile)
	if err != nil {
		return cfg, err
	}
	if g.dataDir != "" {
		cfg.DataDir = g.dataDir
	}
	if addr != "" {
		cfg.Addr = addr
	}
	return cfg, cfg.Validate()
}

// openStore opens PostgreSQL when a database URL is set, else the embedded database.
func openStore(ctx context.Context, cfg config.Config) (*sqlstore.Store, error) {
	if cfg.DatabaseURL != "" {
		return sqlstore.OpenPostgres(ctx, cfg.DatabaseURL)
	}
	return sqlstore.OpenSQLite(ctx, cfg.SQLitePath(), sqlstore.SQLiteOptions{Synchronous: cfg.SQLiteSynchronous})
}

// withStore runs fn on the configured store and closes it after. The database must
// exist unless the command was given --create.
func withStore(ctx context.Context, g *globalFlags, fn func(st *sqlstore.Store, cfg config.Config) error) error {
	cfg, err := loadConfig(g, "")
	if err != nil {
		return err
	}
	if err := requireInstallation(cfg, g.create); err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(st, cfg)
}

// app is a running shouhou: its store and services.
type app struct {
	cfg        config.Config
	store      *sqlstore.Store
	desk       *desk.Desk
	deskOpts   desk.Opts // for tools that need a desk of their own (the demo's clock)
	auth       *auth.Manager
	blobs      blob.Store
	sop        *sop.SOP
	scripts    *desk.ScriptBook
	classifier *understand.Classifier
	logger     *slog.Logger
	// clock is the server's time (offset and advanced only when configured so);
	// scheduler fires the durable timers.
	clock     *clock.Source
	scheduler *timers.Scheduler
	// sender delivers the webhook outbox on the same sleep-until-due loop.
	sender *timers.Scheduler
	// wake are what other servers' NOTIFYs ring (PostgreSQL).
	alarm, deliveryAlarm *timers.Alarm
	hub                  *notify.Hub
	// training is the 培训 space: its own embedded database of practice cases.
	training      *training.Space
	trainingStore *sqlstore.Store
}

func newApp(ctx context.Context, cfg config.Config) (*app, error) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	am, err := auth.New(auth.Opts{Store: st, SessionTTL: cfg.SessionTTL.Duration})
	if err != nil {
		st.Close()
		return nil, err
	}
	blobs, err := openBlobs(ctx, cfg)
	if err != nil {
		st.Close()
		return nil, err
	}
	// The SOP and the classifier (which trains its model) are the slow parts of
	// start-up and independent: build them side by side.
	// The classifier reads the size tolerance of the shop's policy (one number for both).
	pol, err := sop.LoadPolicy(cfg.PolicyFile)
	if err != nil {
		st.Close()
		return nil, err
	}
	var classifier *understand.Classifier
	var classifierErr error
	trained := make(chan struct{})
	go func() {
		defer close(trained)
		classifier, classifierErr = serverClassifier(cfg, float64(pol.Config().Size.ToleranceMM)/10)
	}()
	rules, err := sop.Load(sop.Files{Policy: cfg.PolicyFile, Calendar: cfg.CalendarFile, Playbooks: cfg.PlaybooksDir, Engine: cfg.GuideFile})
	<-trained
	if err = errors.Join(err, classifierErr); err != nil {
		st.Close()
		return nil, err
	}
	scripts, err := desk.NewScriptBook(st, nil, 0)
	if err != nil {
		st.Close()
		return nil, err
	}
	src := clock.NewSource(nil, cfg.Clock.Offset.Duration)
	alarm, deliveryAlarm := timers.NewAlarm(), timers.NewAlarm()
	timing := schedulerConfig(cfg)
	hub := notify.NewHub()
	deskOpts := desk.Opts{Store: st, SLA: cfg.SLA, Days: rules.Calendar, Rules: rules.Engine, Limits: rules.Policy, Classifier: classifier, Logger: logger,
		Scripts: scripts, Zone: rules.Calendar.Location(), Now: src.Now, Timing: timing, FollowUp: cfg.FollowUp, Quality: cfg.Alerts, Calendar: rules.Calendar, Alarm: alarm, ClockControl: src, AllowClockAdvance: cfg.Clock.AllowAdvance,
		Dispatch: cfg.Dispatch, Users: st, Notify: cfg.Notify, Links: cfg.Evidence.Link, Hub: hub, DeliveryAlarm: deliveryAlarm}
	provider, err := tracking.New(cfg.Tracking, nil)
	if err != nil {
		st.Close()
		return nil, err
	}
	deskOpts.Tracking, deskOpts.Provider = cfg.Tracking, provider
	dk := desk.New(deskOpts)
	trainingStore, space, err := openTraining(ctx, cfg, deskOpts, st, rules.Flows, blobs, dk, logger)
	if err != nil {
		st.Close()
		return nil, err
	}
	sending := timing
	sending.Workers = 1
	return &app{cfg: cfg, store: st, desk: dk, deskOpts: deskOpts, auth: am, blobs: blobs, sop: rules, training: space, trainingStore: trainingStore,
		scripts: scripts, classifier: classifier, logger: logger, clock: src, alarm: alarm, deliveryAlarm: deliveryAlarm, hub: hub,
		scheduler: timers.NewScheduler(dk, src, alarm, timing, logger),
		sender:    timers.NewScheduler(notify.NewDeliverer(st, cfg.Notify, src.Now, nil), src, deliveryAlarm, sending, logger.With(slog.String("loop", "webhooks")))}, nil
}

func (a *app) handler() http.Handler {
	limits := api.Limits{JSONBody: 1 << 20, PhotoBytes: a.cfg.Evidence.PhotoMB << 20, VideoBytes: a.cfg.Evidence.VideoMB << 20}
	apiServer := api.New(api.Opts{
		Desk: a.desk, Auth: a.auth, Blobs: a.blobs, Scripts: a.scripts, Classifier: a.classifier,
		Logger: a.logger, SecureCookie: a.cfg.SecureCookie, Health: a.store, Limits: limits, Training: a.training,
	})
	mux := http.NewServeMux()
	apiServer.Register(mux)
	// The customer's upload page (/u/{token}): public, bound to one case by its link.
	customer.New(customer.Opts{Desk: a.desk, Blobs: a.blobs, Limits: limits, Logger: a.logger,
		TempDir: filepath.Join(a.cfg.DataDir, "uploads")}).Register(mux)
	// The workbench (internal/web): Chinese pages on the same session as the API.
	web.Must(web.New(web.Opts{Desk: a.desk, Auth: a.auth, Flows: a.sop.Flows, Calendar: a.sop.Calendar,
		Logger: a.logger, SecureCookie: a.cfg.SecureCookie, Now: a.clock.Now, Training: a.training})).Register(mux)
	// Paths, queries and form fields with a NUL or invalid UTF-8 stop here (422).
	return api.SanitizeForms(mux)
}

// openBlobs is the evidence store: the S3-compatible bucket when configured, else the
// folder data_dir/blobs.
func openBlobs(ctx context.Context, cfg config.Config) (blob.Store, error) {
	if s3, ok := cfg.BlobConfig(); ok {
		return blob.NewS3(ctx, s3)
	}
	return blob.NewDir(cfg.BlobDir())
}

// serve runs the HTTP server and the background workers until ctx ends, then drains
// requests for up to 10 s and waits for the workers to finish what they are doing (a
// timer's transaction, a webhook delivery), so the store is closed under none of them.
func (a *app) serve(ctx context.Context, ready func(addr string)) error {
	pollers, err := a.connectors(ctx)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := api.NewHTTPServer(a.handler(), api.DefaultTimeouts(), a.logger)
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	var workers sync.WaitGroup
	defer workers.Wait()
	ctx, stop := context.WithCancel(ctx) // a failing server stops the workers too
	defer stop()
	workers.Go(func() { a.purgeSessions(ctx, time.Hour) })
	workers.Go(func() { a.scheduler.Run(ctx) })
	workers.Go(func() { a.sender.Run(ctx) })
	if a.desk.TrackingEnabled() {
		workers.Go(func() { a.followParcels(ctx) })
	}
	if a.cfg.DatabaseURL != "" {
		workers.Go(func() { pglisten.Run(ctx, a.cfg.DatabaseURL, a.otherServer, a.logger) })
	}
	for _, p := range pollers {
		workers.Go(func() { p.Run(ctx, time.Duration(a.cfg.Connectors.PollSeconds)*time.Second) })
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// connectors are the pollers of the configured platform connectors (none unless
// connectors.enabled): each upserts through the desk as the system actor. A connector
// naming a shop code that no shop has stops the start, rather than polling records that
// every upsert would refuse.
func (a *app) connectors(ctx context.Context) ([]*platform.Poller, error) {
	c := a.cfg.Connectors
	if !c.Enabled {
		return nil, nil
	}
	var out []*platform.Poller
	for i, sc := range c.Shops {
		// A connector's shop must exist: every record it brings would be refused.
		if sc.Shop != "" {
			if _, err := a.desk.ShopByCode(ctx, sc.Shop); err != nil {
				return nil, fmt.Errorf("connectors.shops[%d].shop: %w", i, err)
			}
		}
		p, err := platform.NewPoller(platform.PollerOpts{Connector: platform.NewDoudian(sc, nil, a.clock.Now),
			Sink: a.desk.PlatformSink(desk.Actor{Name: desk.SystemActor, Role: store.RoleAdmin}), Cursors: a.store,
			Limiter: platform.NewBucket(c.RatePerSecond, c.Burst, nil, nil), MaxAttempts: c.MaxAttempts,
			Backoff: time.Duration(c.BackoffMillis) * time.Millisecond, Logger: a.logger})
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// purgeSessions deletes expired browser sessions every interval until ctx ends.
func (a *app) purgeSessions(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if err := a.store.DeleteExpiredSessions(ctx, now.UTC()); err != nil && ctx.Err() == nil {
				a.logger.Warn("purge sessions", slog.Any("err", err))
			}
		}
	}
}

func (a *app) close() {
	a.trainingStore.Close()
	a.store.Close()
}

// openTraining opens the training space: an embedded database of its own beside the
// shop's (data_dir/training.db, whatever the shop's database is), practice cases
// numbered from cases.TrainingCaseBase, and the scenarios (built in, then the shop's
// folder training_scenarios_dir).
func openTraining(ctx context.Context, cfg config.Config, deskOpts desk.Opts, st *sqlstore.Store, flows *playbook.Set, blobs blob.Store, real *desk.Desk, logger *slog.Logger) (*sqlstore.Store, *training.Space, error) {
	layers := []fs.FS{training.DefaultScenarios()}
	if cfg.TrainingScenariosDir != "" {
		layers = append(layers, os.DirFS(cfg.TrainingScenariosDir))
	}
	set, err := training.Load(flows, layers...)
	if err != nil {
		return nil, nil, fmt.Errorf("training scenarios: %w", err)
	}
	// Servers sharing a data folder share the training space; when they start together,
	// one may find the other's migration half done: it opens again after a moment.
	var ts *sqlstore.Store
	for attempt := 1; ; attempt++ {
		if ts, err = sqlstore.OpenSQLite(ctx, cfg.TrainingPath(), sqlstore.SQLiteOptions{Synchronous: cfg.SQLiteSynchronous}); err == nil {
			break
		}
		if attempt == 5 || ctx.Err() != nil {
			return nil, nil, fmt.Errorf("training space: %w", err)
		}
		logger.WarnContext(ctx, "training space not ready, opening again", slog.Any("err", err))
		time.Sleep(time.Duration(attempt) * 300 * time.Millisecond)
	}
	if err := ts.StartCaseIDsAt(ctx, cases.TrainingCaseBase); err != nil {
		ts.Close()
		return nil, nil, err
	}
	space, err := training.NewSpace(ctx, training.Opts{Desk: deskOpts, Cases: ts, SOP: st, Records: st, Scenarios: set, Flows: flows,
		Blobs: blobs, Real: real, Logger: logger})
	if err != nil {
		ts.Close()
		return nil, nil, err
	}
	return ts, space, nil
}

// schedulerConfig is the timers' configuration for this store: one embedded database
// has a single process writing, so the scheduler never needs to re-check the table
// on its own; on PostgreSQL other servers may schedule timers too.
func schedulerConfig(cfg config.Config) timers.Config {
	t := cfg.Timers
	if cfg.DatabaseURL == "" {
		t.Recheck = 0
	}
	return t
}

// otherServer reacts to another server's NOTIFY: a timer it scheduled, people it
// notified, webhooks it queued.
func (a *app) otherServer(channel, payload string) {
	switch channel {
	case store.ChannelTimers:
		if ms, err := strconv.ParseInt(payload, 10, 64); err == nil {
			a.alarm.Ring(time.UnixMilli(ms))
		}
	case store.ChannelNotify:
		a.hub.Publish(strings.Split(payload, ",")...)
	case store.ChannelWebhooks:
		a.deliveryAlarm.Ring(a.clock.Now())
	}
}

// followParcels makes the tracking subscriptions the cases' writes queued and polls the
// parcels no push came for, every tracking.tick, until ctx ends.
func (a *app) followParcels(ctx context.Context) {
	tick := time.NewTicker(a.cfg.Tracking.Tick)
	defer tick.Stop()
	for {
		if _, err := a.desk.FollowParcels(ctx); err != nil && ctx.Err() == nil {
			a.logger.Error("tracking follower", slog.Any("err", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// serverClassifier builds the message classifier of the server: the SOP defaults
// with the shop's classifier settings (classifier_file) and the size tolerance of its
// policy, trained on the built-in corpus and the shop's own labelled cases
// (classifier_learned_file).
func serverClassifier(cfg config.Config, sizeToleranceCM float64) (*understand.Classifier, error) {
	ucfg := understand.DefaultConfig()
	if cfg.ClassifierFile != "" {
		data, err := os.ReadFile(cfg.ClassifierFile)
		if err != nil {
			return nil, fmt.Errorf("classifier_file: %w", err)
		}
		if ucfg, err = understand.LoadConfig(data); err != nil {
			return nil, fmt.Errorf("classifier_file %s: %w", cfg.ClassifierFile, err)
		}
	}
	ucfg.SizeToleranceCM = sizeToleranceCM
	var learned []understand.Example
	if cfg.ClassifierLearnedFile != "" {
		var err error
		if learned, err = understand.LoadLearned(cfg.ClassifierLearnedFile); err != nil {
			return nil, fmt.Errorf("classifier_learned_file: %w", err)
		}
	}
	return understand.NewLearned(ucfg, nil, learned)
}
