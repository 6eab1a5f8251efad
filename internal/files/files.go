// Package files keeps uploaded documents (application materials). A file is
// checked twice — extension on an allow-list and magic bytes that match it
// — limited in size, stored under the SHA-256 of its content (never under
// the uploader's name), and later served only as an attachment. Blobs sit
// behind an interface: local disk by default, an object store for several
// nodes.
package files

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// File is a stored upload as one owner sees it.
type File struct {
	ID        string    `json:"id"` // SHA-256 of the content, hex
	Size      int64     `json:"size"`
	MIME      string    `json:"mime"`
	Ext       string    `json:"ext"`
	Name      string    `json:"name"` // the uploader's file name, for display only
	CreatedAt time.Time `json:"created_at"`
}

// Blobs stores file contents by id.
type Blobs interface {
	Put(ctx context.Context, id string, data []byte) error
	Get(ctx context.Context, id string) (io.ReadCloser, error)
}

// LocalBlobs keeps contents in a directory, fanned out by the first two hex
// digits of the id.
type LocalBlobs struct{ Dir string }

func (b LocalBlobs) path(id string) string { return filepath.Join(b.Dir, id[:2], id) }

// Put writes data atomically (temp file + fsync + rename); an existing blob
// with the same id is the same content and is kept.
func (b LocalBlobs) Put(ctx context.Context, id string, data []byte) error {
	p := b.path(id)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), p)
}

// Get opens a blob.
func (b LocalBlobs) Get(ctx context.Context, id string) (io.ReadCloser, error) {
	f, err := os.Open(b.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errs.NotFound(i18n.M("文件", "File"))
	}
	return f, err
}

// kind is an accepted file type: its extensions, MIME type and magic bytes.
type kind struct {
	exts  []string
	mime  string
	magic []byte
}

// accepted lists the types applicants may upload: PDF, JPEG, PNG and OFD
// (GB/T 33190-2016, China's fixed-layout e-document format, a ZIP container).
var accepted = []kind{
	{[]string{"pdf"}, "application/pdf", []byte("%PDF-")},
	{[]string{"jpg", "jpeg"}, "image/jpeg", []byte{0xFF, 0xD8, 0xFF}},
	{[]string{"png"}, "image/png", []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}},
	{[]string{"ofd"}, "application/ofd", []byte("PK\x03\x04")},
}

// AcceptedExtensions lists the allowed extensions, for forms.
func AcceptedExtensions() []string {
	var out []string
	for _, k := range accepted {
		out = append(out, k.exts...)
	}
	return out
}

// Store records files and their owners.
type Store struct {
	db      *db.DB
	blobs   Blobs
	maxSize int64
	now     func() time.Time
}

// NewStore returns a store over d keeping contents in blobs; files larger
// than maxSize bytes are refused.
func NewStore(d *db.DB, blobs Blobs, maxSize int64) *Store {
	return &Store{db: d, blobs: blobs, maxSize: maxSize, now: func() time.Time { return time.Now().UTC() }}
}

// MaxSize is the largest accepted file.
func (s *Store) MaxSize() int64 { return s.maxSize }

// Save stores an upload for the signed-in account. It refuses files that
// are too large, empty, of a type not on the list, or whose content does
// not match their extension.
func (s *Store) Save(ctx context.Context, name string, r io.Reader) (File, error) {
	p := identity.PrincipalFrom(ctx)
	system := p != nil && p.Role == identity.RoleSystem
	if p == nil || (p.AccountID == 0 && !system) {
		return File{}, errs.New(errs.ErrUnauthorized, "unauthenticated", i18n.M("请先登录", "Sign in first"))
	}
	data, err := io.ReadAll(io.LimitReader(r, s.maxSize+1))
	if err != nil {
		return File{}, fmt.Errorf("read upload: %w", err)
	}
	if int64(len(data)) > s.maxSize {
		return File{}, errs.Invalid("file", i18n.M(fmt.Sprintf("文件不能超过 %d MB", s.maxSize>>20), fmt.Sprintf("Files must not exceed %d MB", s.maxSize>>20)))
	}
	if len(data) == 0 {
		return File{}, errs.Invalid("file", i18n.M("文件是空的", "The file is empty"))
	}
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
	k, ok := kindOf(ext)
	if !ok {
		return File{}, errs.Invalid("file", i18n.M("只接受 PDF、JPG、PNG、OFD 文件", "Only PDF, JPG, PNG and OFD files are accepted"))
	}
	if !bytes.HasPrefix(data, k.magic) {
		return File{}, errs.Invalid("file", i18n.M("文件内容与扩展名 ."+ext+" 不符", "The file's content does not match its ."+ext+" extension"))
	}
	sum := sha256.Sum256(data)
	f := File{ID: hex.EncodeToString(sum[:]), Size: int64(len(data)), MIME: k.mime, Ext: ext, Name: cleanName(name), CreatedAt: s.now()}
	if err := s.blobs.Put(ctx, f.ID, data); err != nil {
		return File{}, fmt.Errorf("store upload: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO files (id, size, mime, ext, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`, f.ID, f.Size, f.MIME, f.Ext, f.CreatedAt); err != nil {
			return err
		}
		if system {
			return nil // the platform's own files (migrations, demo data) have no uploader
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO file_owners (file_id, account_id, original_name, uploaded_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (file_id, account_id) DO UPDATE SET original_name = excluded.original_name`, f.ID, p.AccountID, f.Name, f.CreatedAt)
		return err
	})
	if err != nil {
		return File{}, fmt.Errorf("record upload: %w", err)
	}
	return f, nil
}

func kindOf(ext string) (kind, bool) {
	for _, k := range accepted {
		for _, e := range k.exts {
			if e == ext {
				return k, true
			}
		}
	}
	return kind{}, false
}

// cleanName keeps a display name free of paths and control characters.
func cleanName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	return name
}

// Owned returns the file as account uploaded it, or ErrNotFound when that
// account never uploaded it (attaching someone else's file id is refused
// the same way as a missing one).
func (s *Store) Owned(ctx context.Context, id string, account int64) (File, error) {
	var f File
	err := s.db.QueryRowContext(ctx, `SELECT f.id, f.size, f.mime, f.ext, o.original_name, f.created_at FROM files f
		JOIN file_owners o ON o.file_id = f.id WHERE f.id = ? AND o.account_id = ?`, id, account).
		Scan(&f.ID, &f.Size, &f.MIME, &f.Ext, &f.Name, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, errs.NotFound(i18n.M("文件", "File"))
	}
	return f, err
}

// Meta returns a file's stored facts (no permission check: callers decide
// who may see a file, e.g. through the case it is attached to).
func (s *Store) Meta(ctx context.Context, id string) (File, error) {
	var f File
	err := s.db.QueryRowContext(ctx, `SELECT id, size, mime, ext, created_at FROM files WHERE id = ?`, id).
		Scan(&f.ID, &f.Size, &f.MIME, &f.Ext, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, errs.NotFound(i18n.M("文件", "File"))
	}
	f.Name = f.ID[:12] + "." + f.Ext
	return f, err
}

// Open returns a file's content; callers check permission first.
func (s *Store) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	if len(id) != 64 {
		return nil, errs.NotFound(i18n.M("文件", "File"))
	}
	return s.blobs.Get(ctx, id)
}
