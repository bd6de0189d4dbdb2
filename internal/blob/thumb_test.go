package blob_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/shouhou/shouhou/internal/blob"
)

func pngOf(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(w/2, h/2, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestThumbnailFitsTheEdgeKeepingTheShape(t *testing.T) {
	for _, tc := range []struct {
		name       string
		w, h       int
		wantW, wnH int
	}{
		{"landscape", 1600, 1200, 320, 240},
		{"portrait", 900, 1800, 160, 320},
		{"small stays", 100, 50, 100, 50},
		{"thin", 5000, 3, 320, 1},
	} {
		raw, err := blob.Thumbnail(bytes.NewReader(pngOf(t, tc.w, tc.h)), 320)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		img, err := jpeg.Decode(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: not a JPEG: %v", tc.name, err)
		}
		if b := img.Bounds(); b.Dx() != tc.wantW || b.Dy() != tc.wnH {
			t.Errorf("%s: %d×%d, want %d×%d", tc.name, b.Dx(), b.Dy(), tc.wantW, tc.wnH)
		}
	}
}

func TestThumbnailRefusesNonPhotosAndBombs(t *testing.T) {
	// A PNG header claiming 20,000×20,000 pixels is refused before decoding.
	bomb := pngOf(t, 1, 1)
	bomb[16], bomb[17], bomb[18], bomb[19] = 0, 0, 0x4e, 0x20
	bomb[20], bomb[21], bomb[22], bomb[23] = 0, 0, 0x4e, 0x20
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	if cfg, err := png.DecodeConfig(bytes.NewReader(bomb)); err != nil || cfg.Width != 20000 {
		t.Fatalf("the bomb's header: %v %v", cfg, err)
	}
	for name, content := range map[string][]byte{
		"video": append([]byte{0, 0, 0, 0x18}, "ftypisom"...),
		"text":  []byte("hello"),
		"bomb":  bomb,
	} {
		if _, err := blob.Thumbnail(bytes.NewReader(content), 320); !errors.Is(err, blob.ErrNoThumbnail) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
