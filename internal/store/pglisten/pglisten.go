// Package pglisten wakes this process when another server on the same PostgreSQL
// schedules a timer, notifies a user or queues a webhook: the writing transaction sends
// NOTIFY (delivered at its commit) and every server LISTENs on one connection of its
// own. It only shortens waits; without it the bounded re-check still finds the work.
package pglisten

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shouhou/shouhou/internal/store"
)

// Run listens on the channels until ctx ends, calling on for each notification;
// a lost connection is re-opened after a growing pause (1 s up to 30 s).
func Run(ctx context.Context, dsn string, on func(channel, payload string), logger *slog.Logger) {
	pause := time.Second
	for ctx.Err() == nil {
		err := listen(ctx, dsn, on, func() {
			pause = time.Second
			logger.Info("listening for other servers' timers and notifications")
		})
		if ctx.Err() != nil {
			return
		}
		logger.Warn("listen for other servers", slog.Any("err", err), slog.Duration("retry_in", pause))
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, 30*time.Second)
	}
}

func listen(ctx context.Context, dsn string, on func(channel, payload string), connected func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.Background())
	for _, ch := range []string{store.ChannelTimers, store.ChannelNotify, store.ChannelWebhooks} {
		if _, err := conn.Exec(ctx, "LISTEN "+ch); err != nil {
			return fmt.Errorf("listen %s: %w", ch, err)
		}
	}
	connected()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		on(n.Channel, n.Payload)
	}
}
