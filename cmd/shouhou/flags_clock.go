package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
)

// clockFlags set the server's clock for demos and training; both are off by default.
type clockFlags struct {
	offset       time.Duration
	allowAdvance bool
}

func (c *clockFlags) register(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&c.offset, "clock-offset", 0, "run the clock this far ahead of the wall clock (demo/training, e.g. 26h)")
	cmd.Flags().BoolVar(&c.allowAdvance, "allow-clock-advance", false, "let admins move the clock forward with POST /api/v1/clock/advance (demo only)")
}

func (c *clockFlags) apply(cfg *config.Config) error {
	if c.offset < 0 {
		return fmt.Errorf("--clock-offset: 不能为负数")
	}
	if c.offset != 0 {
		cfg.Clock.Offset.Duration = c.offset
	}
	if c.allowAdvance {
		cfg.Clock.AllowAdvance = true
	}
	return nil
}
