package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Config names an S3-compatible bucket (MinIO, versitygw, a cloud's object store).
type S3Config struct {
	Endpoint  string // host:port, without scheme
	Bucket    string
	AccessKey string
	SecretKey string
	Region    string
	Secure    bool // HTTPS
	// Prefix is put before every object's name ("evidence/" by default).
	Prefix string
	// TempDir holds an upload while it is hashed (the system's by default): objects are
	// named by content hash, which is known only at the end of the upload.
	TempDir string
}

// S3 stores evidence in an S3-compatible bucket under its content hash. An upload is
// spooled to a temporary file while it is hashed and checked against the limit, then
// sent with its length known in one streamed PUT, so no upload is held in memory.
type S3 struct {
	client *minio.Client
	cfg    S3Config
}

// NewS3 connects to the bucket and checks that it exists: a mistyped bucket or
// endpoint is an error at start-up, not at the first upload.
func NewS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if cfg.Endpoint == "" || cfg.Bucket == "" {
		return nil, errors.New("s3: endpoint and bucket are required")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "evidence/"
	}
	client, err := minio.New(cfg.Endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: cfg.Secure, Region: cfg.Region,
	})
	if err != nil {
		return nil, fmt.Errorf("s3 %s: %w", cfg.Endpoint, err)
	}
	ok, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("s3 %s: bucket %s: %w", cfg.Endpoint, cfg.Bucket, err)
	}
	if !ok {
		return nil, fmt.Errorf("s3 %s: bucket %s does not exist", cfg.Endpoint, cfg.Bucket)
	}
	return &S3{client: client, cfg: cfg}, nil
}

func (s *S3) key(hash string) string { return s.cfg.Prefix + hash[:2] + "/" + hash }

// Put stores r's content (at most limit bytes) under its hash; content already stored
// is not sent again.
func (s *S3) Put(ctx context.Context, r io.Reader, limit int64) (string, int64, error) {
	f, hash, size, err := spool(s.cfg.TempDir, r, limit)
	if err != nil {
		return "", size, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := s.client.StatObject(ctx, s.cfg.Bucket, s.key(hash), minio.StatObjectOptions{}); err == nil {
		return hash, size, nil
	}
	// One PUT of known length: over plain HTTP the payload is signed in 64 KiB
	// chunks as it streams, so memory stays small whatever the size.
	_, err = s.client.PutObject(ctx, s.cfg.Bucket, s.key(hash), f, size, minio.PutObjectOptions{
		DisableMultipart: true, ContentType: "application/octet-stream",
	})
	if err != nil {
		return "", 0, fmt.Errorf("s3 put %s: %w", hash, err)
	}
	return hash, size, nil
}

// Open returns a blob's content; reads and seeks are ranged GETs.
func (s *S3) Open(ctx context.Context, hash string) (io.ReadSeekCloser, error) {
	if !hashPattern.MatchString(hash) {
		return nil, ErrNotFound
	}
	obj, err := s.client.GetObject(ctx, s.cfg.Bucket, s.key(hash), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("s3 get %s: %w", hash, err)
	}
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("s3 get %s: %w", hash, err)
	}
	return obj, nil
}

// Hashes lists every stored blob (for backups).
func (s *S3) Hashes(ctx context.Context) ([]string, error) {
	var out []string
	for o := range s.client.ListObjects(ctx, s.cfg.Bucket, minio.ListObjectsOptions{Prefix: s.cfg.Prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, fmt.Errorf("s3 list: %w", o.Err)
		}
		h := o.Key[len(o.Key)-min(64, len(o.Key)):]
		if hashPattern.MatchString(h) {
			out = append(out, h)
		}
	}
	return out, nil
}
