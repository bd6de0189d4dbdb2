package api

import (
	"log/slog"
	"net/http"
	"time"
)

// Timeouts bound how long a client may hold a connection, so that slow or stalled
// clients (a body trickled one byte at a time, a response never read) cannot pile
// up connections and memory.
type Timeouts struct {
	// ReadHeader: the request line and headers (slowloris).
	ReadHeader time.Duration
	// Read: the whole request, body included. Signed-in uploads get longer, see
	// UploadRate.
	Read time.Duration
	// Write: from the end of the request headers to the end of the response. A route
	// that streams for longer (server-sent events, long polls, big exports) sets its
	// own deadline with SetDeadlines.
	Write time.Duration
	// Idle: a kept-alive connection between requests.
	Idle time.Duration
	// UploadRate is the slowest upload accepted (bytes per second): a signed-in upload
	// with Content-Length n may take Read + n/UploadRate, at most UploadMax.
	UploadRate int64
	UploadMax  time.Duration
	// MaxHeaderBytes bounds the request headers.
	MaxHeaderBytes int
}

// DefaultTimeouts: 10 s for headers, 30 s for a request, 60 s for a response, 2 min
// idle; uploads at least 128 KiB/s (a 100 MiB video: 14 min) and at most 15 min.
func DefaultTimeouts() Timeouts {
	return Timeouts{ReadHeader: 10 * time.Second, Read: 30 * time.Second, Write: 60 * time.Second,
		Idle: 2 * time.Minute, UploadRate: 128 << 10, UploadMax: 15 * time.Minute, MaxHeaderBytes: 64 << 10}
}

// NewHTTPServer is the http.Server shouhou serves h with: every timeout set.
func NewHTTPServer(h http.Handler, t Timeouts, logger *slog.Logger) *http.Server {
	if logger == nil {
		logger = slog.Default()
	}
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: t.MaxHeaderBytes, ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn)}
}

// SetDeadlines overrides the server's read and write timeouts for the request being
// served: read and write are durations from now, 0 leaves that deadline as it is and
// a negative value removes it (a server-sent event stream: SetDeadlines(w, 0, -1)).
// On a ResponseWriter that cannot (a test recorder) it does nothing.
func SetDeadlines(w http.ResponseWriter, read, write time.Duration) {
	rc := http.NewResponseController(w)
	at := func(d time.Duration) time.Time {
		if d < 0 {
			return time.Time{}
		}
		return time.Now().Add(d)
	}
	if read != 0 {
		rc.SetReadDeadline(at(read))
	}
	if write != 0 {
		rc.SetWriteDeadline(at(write))
	}
}

// uploadDeadline gives a signed-in upload the time its declared size needs at the
// slowest accepted rate (a request without Content-Length keeps the Read timeout).
func (s *Server) uploadDeadline(w http.ResponseWriter, r *http.Request) {
	t := s.timeouts
	if r.ContentLength <= 0 || t.UploadRate <= 0 {
		return
	}
	d := min(t.Read+time.Duration(r.ContentLength/t.UploadRate)*time.Second, t.UploadMax)
	SetDeadlines(w, d, d+t.Write)
}
