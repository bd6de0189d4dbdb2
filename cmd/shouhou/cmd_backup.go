package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/blob"
	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

// backupFormat names the archive layout: manifest.json (written last), shouhou.db and
// blobs/<xx>/<sha256> for every evidence file.
const backupFormat = "shouhou-backup/1"

type manifest struct {
	Format    string         `json:"format"`
	Version   string         `json:"version"`
	CreatedAt time.Time      `json:"created_at"`
	Files     []manifestFile `json:"files"`
}

type manifestFile struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func newBackupCmd(g *globalFlags) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "Write one archive (.tar.gz) with a consistent copy of the embedded database and every evidence file (local or in the S3 bucket), while the server runs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withStore(cmd.Context(), g, func(st *sqlstore.Store, cfg config.Config) error {
				if cfg.DatabaseURL != "" {
					return errors.New("backup is for the embedded database; for PostgreSQL use pg_dump and copy " + cfg.BlobDir())
				}
				if out == "" {
					out = filepath.Join(cfg.DataDir, "backups", "shouhou-"+time.Now().Format("20060102-150405")+".tar.gz")
				}
				blobs, err := openBlobs(cmd.Context(), cfg)
				if err != nil {
					return err
				}
				m, err := writeBackup(cmd.Context(), st, cfg, blobs, out)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "backup written to %s: %s and %d evidence files (check it with `shouhou restore --check %s`)\n", out, m.databases(), m.evidence(), out)
				return nil
			})
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "archive to write (default DATA/backups/shouhou-TIME.tar.gz)")
	return cmd
}

// writeBackup snapshots the database (VACUUM INTO) first and then copies the evidence
// files (from data_dir/blobs, or every object of the S3 bucket): a blob is stored
// before the event that refers to it, so every blob the snapshot names is already
// there. The archive is written under a temporary name and renamed when complete.
func writeBackup(ctx context.Context, st *sqlstore.Store, cfg config.Config, blobs blob.Store, out string) (manifest, error) {
	m := manifest{Format: backupFormat, Version: versionString(), CreatedAt: time.Now().UTC()}
	if _, err := os.Stat(out); err == nil {
		return m, fmt.Errorf("backup target %s already exists", out)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o750); err != nil {
		return m, err
	}
	work, err := os.MkdirTemp(filepath.Dir(out), ".backup-")
	if err != nil {
		return m, err
	}
	defer os.RemoveAll(work)
	snapshot := filepath.Join(work, "shouhou.db")
	if err := st.Backup(ctx, snapshot); err != nil {
		return m, err
	}
	tmp := filepath.Join(work, "archive.tar.gz")
	f, err := os.Create(tmp)
	if err != nil {
		return m, err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	add := func(name, src string) error {
		file, err := addFile(tw, name, src)
		m.Files = append(m.Files, file)
		return err
	}
	if err := add("shouhou.db", snapshot); err != nil {
		return m, err
	}
	// The training space's practice cases (培训) are a database of their own.
	if _, err := os.Stat(cfg.TrainingPath()); err == nil {
		practice := filepath.Join(work, "training.db")
		if err := snapshotSQLite(ctx, cfg.TrainingPath(), practice); err != nil {
			return m, fmt.Errorf("training space: %w", err)
		}
		if err := add("training.db", practice); err != nil {
			return m, err
		}
	}
	if bucket, ok := blobs.(*blob.S3); ok {
		if err := addBucket(ctx, tw, bucket, &m); err != nil {
			return m, fmt.Errorf("evidence files: %w", err)
		}
		return finishBackup(tw, gz, f, m, tmp, out)
	}
	err = filepath.WalkDir(cfg.BlobDir(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == cfg.BlobDir() {
				return nil
			}
			return err
		}
		if d.IsDir() {
			if d.Name() == "tmp" {
				return filepath.SkipDir // uploads in progress
			}
			return nil
		}
		rel, err := filepath.Rel(cfg.BlobDir(), p)
		if err != nil {
			return err
		}
		return add(path.Join("blobs", filepath.ToSlash(rel)), p)
	})
	if err != nil {
		return m, fmt.Errorf("evidence files: %w", err)
	}
	return finishBackup(tw, gz, f, m, tmp, out)
}

// snapshotSQLite writes a consistent copy of the embedded database at src to dst.
func snapshotSQLite(ctx context.Context, src, dst string) error {
	st, err := sqlstore.OpenSQLite(ctx, src, sqlstore.SQLiteOptions{})
	if err != nil {
		return err
	}
	defer st.Close()
	return st.Backup(ctx, dst)
}

// addBucket copies every evidence object of the bucket into the archive, streaming.
func addBucket(ctx context.Context, tw *tar.Writer, bucket *blob.S3, m *manifest) error {
	hashes, err := bucket.Hashes(ctx)
	if err != nil {
		return err
	}
	for _, h := range hashes {
		r, err := bucket.Open(ctx, h)
		if err != nil {
			return err
		}
		mf, err := addReader(tw, path.Join("blobs", h[:2], h), r, time.Time{})
		r.Close()
		m.Files = append(m.Files, mf)
		if err != nil {
			return err
		}
	}
	return nil
}

// finishBackup writes the manifest last and puts the archive in place.
func finishBackup(tw *tar.Writer, gz *gzip.Writer, f *os.File, m manifest, tmp, out string) (manifest, error) {
	raw, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o640, Size: int64(len(raw)), ModTime: m.CreatedAt}); err != nil {
		return m, err
	}
	if _, err := tw.Write(raw); err != nil {
		return m, err
	}
	if err := errors.Join(tw.Close(), gz.Close(), f.Sync(), f.Close()); err != nil {
		return m, fmt.Errorf("write %s: %w", out, err)
	}
	return m, os.Rename(tmp, out)
}

func addFile(tw *tar.Writer, name, src string) (manifestFile, error) {
	f, err := os.Open(src)
	if err != nil {
		return manifestFile{Name: name}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return manifestFile{Name: name}, err
	}
	return addReader(tw, name, f, fi.ModTime())
}

// addReader archives r's whole content (its length found by seeking to the end).
func addReader(tw *tar.Writer, name string, r io.ReadSeeker, modified time.Time) (manifestFile, error) {
	mf := manifestFile{Name: name}
	size, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return mf, err
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return mf, err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: size, ModTime: modified}); err != nil {
		return mf, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tw, h), r)
	if err != nil {
		return mf, fmt.Errorf("archive %s: %w", name, err)
	}
	mf.Size, mf.SHA256 = n, hex.EncodeToString(h.Sum(nil))
	return mf, nil
}

func newRestoreCmd(g *globalFlags) *cobra.Command {
	var check bool
	cmd := &cobra.Command{
		Use:   "restore ARCHIVE",
		Short: "Restore a backup archive into an empty data directory, checking every file, the database and that every evidence file it names is there; with evidence.s3 set, the files go back into the bucket",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			target := ""
			var bucket *blob.S3Config
			if check {
				dir, err := os.MkdirTemp("", "shouhou-restore-check-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(dir)
				target = filepath.Join(dir, "data")
			} else {
				cfg, err := loadConfig(g, "")
				if err != nil {
					return err
				}
				if cfg.DatabaseURL != "" {
					return errors.New("restore is for the embedded database; with database_url set, restore PostgreSQL with pg_restore")
				}
				target = cfg.DataDir
				if s3, ok := cfg.BlobConfig(); ok {
					bucket = &s3
				}
			}
			sum, err := restoreBackup(cmd.Context(), args[0], target)
			if err != nil {
				return err
			}
			if bucket != nil {
				n, err := pushBlobs(cmd.Context(), *bucket, target)
				if err != nil {
					return fmt.Errorf("restored %s into %s, but copying the evidence to the S3 bucket failed (run restore again into an empty folder): %w", args[0], target, err)
				}
				sum += fmt.Sprintf("; %d evidence files copied to the S3 bucket %s", n, bucket.Bucket)
			}
			if check {
				fmt.Fprintf(cmd.OutOrStdout(), "%s is a complete backup: %s\n", args[0], sum)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "restored %s into %s: %s\n", args[0], target, sum)
			return nil
		},
	}
	cmd.Flags().BoolVar(&check, "check", false, "only check the archive (restore it into a temporary folder and delete that)")
	return cmd
}

// pushBlobs copies the restored evidence files of dir/blobs into the S3 bucket (each
// checked against its name on the way) and removes the local copies.
func pushBlobs(ctx context.Context, cfg blob.S3Config, dir string) (int, error) {
	bucket, err := blob.NewS3(ctx, cfg)
	if err != nil {
		return 0, err
	}
	root := filepath.Join(dir, "blobs")
	n := 0
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == root {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		hash, _, err := bucket.Put(ctx, f, 1<<40)
		if err != nil {
			return err
		}
		if hash != d.Name() {
			return fmt.Errorf("evidence file %s does not match its name", d.Name())
		}
		n++
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, os.RemoveAll(root)
}

// restoreBackup unpacks the archive into dir, which must be empty or absent, and
// checks it; on any problem it removes what it unpacked.
func restoreBackup(ctx context.Context, archive, dir string) (summary string, err error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return "", fmt.Errorf("%s is not empty: restore into an empty or new folder (move the current installation away first)", dir)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			cleanDir(dir)
		}
	}()
	m, got, err := unpack(archive, dir)
	if err != nil {
		return "", err
	}
	if m.Format != backupFormat {
		return "", fmt.Errorf("%s: not a shouhou backup (format %q)", archive, m.Format)
	}
	for _, f := range m.Files {
		g, ok := got[f.Name]
		switch {
		case !ok:
			return "", fmt.Errorf("%s: %s is missing from the archive", archive, f.Name)
		case g != f:
			return "", fmt.Errorf("%s: %s is damaged (size or SHA-256 differs from the manifest)", archive, f.Name)
		case strings.HasPrefix(f.Name, "blobs/") && path.Base(f.Name) != f.SHA256:
			return "", fmt.Errorf("%s: evidence file %s does not match its name", archive, f.Name)
		}
		delete(got, f.Name)
	}
	for name := range got {
		return "", fmt.Errorf("%s: %s is not in the manifest", archive, name)
	}
	st, err := checkRestored(ctx, archive, dir, "shouhou.db")
	if err != nil {
		return "", err
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "training.db")); err == nil {
		ts, err := checkRestored(ctx, archive, dir, "training.db")
		if err != nil {
			return "", err
		}
		ts.Close()
	}
	return fmt.Sprintf("%s (%d users) and %d evidence files, made %s by shouhou %s",
		m.databases(), len(users), m.evidence(), m.CreatedAt.Format(time.RFC3339), m.Version), nil
}

// evidence is the number of evidence files in the archive.
func (m manifest) evidence() int {
	n := 0
	for _, f := range m.Files {
		if strings.HasPrefix(f.Name, "blobs/") {
			n++
		}
	}
	return n
}

// databases says which databases the archive holds.
func (m manifest) databases() string {
	for _, f := range m.Files {
		if f.Name == "training.db" {
			return "database, training space"
		}
	}
	return "database"
}

// checkRestored opens a restored database, checks its integrity and that every
// evidence file it names is in the archive.
func checkRestored(ctx context.Context, archive, dir, name string) (*sqlstore.Store, error) {
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, name), sqlstore.SQLiteOptions{})
	if err != nil {
		return nil, fmt.Errorf("restored database %s: %w", name, err)
	}
	hashes, err := st.EvidenceHashes(ctx)
	if err == nil {
		err = st.IntegrityCheck(ctx)
	}
	for _, h := range hashes {
		if err != nil {
			break
		}
		if _, serr := os.Stat(filepath.Join(dir, "blobs", h[:min(2, len(h))], h)); serr != nil {
			err = fmt.Errorf("%s: %s names evidence %s that the archive does not hold", archive, name, h)
		}
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// unpack extracts the archive's regular files into dir and returns the manifest and
// the size and hash of every other file.
func unpack(archive, dir string) (manifest, map[string]manifestFile, error) {
	var m manifest
	got := map[string]manifestFile{}
	f, err := os.Open(archive)
	if err != nil {
		return m, nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return m, nil, fmt.Errorf("%s: not a shouhou backup: %w", archive, err)
	}
	tr := tar.NewReader(gz)
	sawManifest := false
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, nil, fmt.Errorf("%s: damaged archive: %w", archive, err)
		}
		name := path.Clean(h.Name)
		if h.Typeflag != tar.TypeReg || !fs.ValidPath(name) || strings.HasPrefix(name, "..") {
			return m, nil, fmt.Errorf("%s: unexpected entry %q", archive, h.Name)
		}
		if name == "manifest.json" {
			if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&m); err != nil {
				return m, nil, fmt.Errorf("%s: manifest: %w", archive, err)
			}
			sawManifest = true
			continue
		}
		if name != "shouhou.db" && name != "training.db" && !strings.HasPrefix(name, "blobs/") {
			return m, nil, fmt.Errorf("%s: unexpected entry %q", archive, h.Name)
		}
		dest := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dest), 0o750); err != nil {
			return m, nil, err
		}
		out, err := os.OpenFile(dest, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o640)
		if err != nil {
			return m, nil, err
		}
		sum := sha256.New()
		n, err := io.Copy(io.MultiWriter(out, sum), tr)
		if err = errors.Join(err, out.Sync(), out.Close()); err != nil {
			return m, nil, fmt.Errorf("%s: %s: %w", archive, name, err)
		}
		got[name] = manifestFile{Name: name, Size: n, SHA256: hex.EncodeToString(sum.Sum(nil))}
	}
	if !sawManifest {
		return m, nil, fmt.Errorf("%s: no manifest.json: incomplete or not a shouhou backup", archive)
	}
	return m, got, nil
}

func cleanDir(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}
