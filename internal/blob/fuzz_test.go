package blob

import (
	"strings"
	"testing"
)

// FuzzSniff: no content panics the sniffer, only the evidence types are accepted,
// and an HTML or script file is never taken for a photo or video whatever it claims.
func FuzzSniff(f *testing.F) {
	for _, seed := range []string{
		"\xff\xd8\xff\xe0\x00\x10JFIF", "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR", "GIF89a", "RIFF\x00\x00\x00\x00WEBPVP8 ",
		"\x00\x00\x00\x18ftypmp42", "\x00\x00\x00\x14ftypqt  ", "\x1aE\xdf\xa3", "<html><script>alert(1)</script>",
		"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "%PDF-1.4", "", "\x00\x00\x00\x00ftyp",
	} {
		f.Add([]byte(seed))
	}
	allowed := map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true,
		"video/webm": true, "video/mp4": true, "video/quicktime": true}
	f.Fuzz(func(t *testing.T, head []byte) {
		mime, ok := Sniff(head)
		if ok && !allowed[mime] {
			t.Fatalf("accepted %q as %s", head, mime)
		}
		if ok && IsVideo(mime) != strings.HasPrefix(mime, "video/") {
			t.Fatalf("IsVideo(%s) wrong", mime)
		}
		if lower := strings.ToLower(string(head)); ok && strings.HasPrefix(strings.TrimSpace(lower), "<") && !strings.Contains(mime, "webm") {
			if strings.Contains(lower, "<html") || strings.Contains(lower, "<script") || strings.Contains(lower, "<svg") {
				t.Fatalf("markup %q accepted as %s", head, mime)
			}
		}
	})
}
