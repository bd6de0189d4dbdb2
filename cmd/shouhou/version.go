package main

import (
	"runtime/debug"
	"strings"
)

// version and commit are set by the release build (scripts/release):
// -ldflags "-X main.version=v1.2.3 -X main.commit=…". Without them the module version
// and the VCS revision of the build information are used (a checkout says "(devel)";
// the revision is missing when built with -buildvcs=false).
var (
	version = ""
	commit  = ""
)

// versionString is the version, the commit it was built from (with "+dirty" when the
// tree had uncommitted changes) and the Go version, from the binary's build info.
func versionString() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if v == "" {
			v = "unknown"
		}
		return v
	}
	if v == "" {
		v = info.Main.Version
	}
	var dirty, cgo string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			if commit == "" {
				commit = s.Value
			}
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		case "CGO_ENABLED":
			cgo = s.Value
		}
	}
	c := commit
	if c == "" {
		c = "unknown"
	}
	parts := []string{v, "commit " + c + dirty, info.GoVersion}
	if cgo == "0" {
		parts = append(parts, "static")
	}
	return strings.Join(parts, " ")
}
