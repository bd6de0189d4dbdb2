package blob

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders of the photo types evidence may be
	"image/jpeg"
	_ "image/png"
	"io"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// ErrNoThumbnail means the content is not a photo a thumbnail can be made of (or it
// is too large to decode safely).
var ErrNoThumbnail = errors.New("no thumbnail")

// maxPixels bounds the photos decoded for a thumbnail (a 48 MP photo decodes to about
// 190 MB): a decompression bomb is refused before it is decoded.
const maxPixels = 48_000_000

// Thumbnail scales a photo down to fit edge×edge pixels and encodes it as JPEG.
func Thumbnail(r io.ReadSeeker, edge int) ([]byte, error) {
	cfg, _, err := image.DecodeConfig(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoThumbnail, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return nil, fmt.Errorf("%w: %d×%d pixels", ErrNoThumbnail, cfg.Width, cfg.Height)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	src, _, err := image.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoThumbnail, err)
	}
	w, h := cfg.Width, cfg.Height
	if w > edge || h > edge {
		if w >= h {
			w, h = edge, max(1, h*edge/cfg.Width)
		} else {
			w, h = max(1, w*edge/cfg.Height), edge
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src) // transparent PNGs on white
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Over, nil)
	var out bytes.Buffer
	if err := jpeg.Encode(&out, dst, &jpeg.Options{Quality: 80}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
