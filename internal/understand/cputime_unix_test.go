//go:build unix

package understand

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the test process has used (user + system): on a shared
// machine, work per CPU-second is steadier than work per wall-clock second.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
