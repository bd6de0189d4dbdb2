package blob

import (
	"bytes"
	"net/http"
)

// Sniff names the media type of content from its first bytes, never from what the
// client claims, and reports whether it is a photo or video evidence may be.
func Sniff(head []byte) (mime string, ok bool) {
	if len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")) {
		if bytes.Equal(head[8:10], []byte("qt")) {
			return "video/quicktime", true
		}
		return "video/mp4", true
	}
	switch mime = http.DetectContentType(head); mime {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "video/webm", "video/mp4":
		return mime, true
	}
	return mime, false
}

// IsVideo reports whether the media type is a video.
func IsVideo(mime string) bool { return len(mime) > 6 && mime[:6] == "video/" }
