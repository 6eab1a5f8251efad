package files_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/identity"
)

func account(t *testing.T, d *db.DB, id int64) context.Context {
	t.Helper()
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		_, err := tx.ExecContext(context.Background(), `INSERT INTO accounts (id, username, role, password_hash, password_changed_at, created_at, updated_at)
			VALUES (?, ?, 'window_clerk', 'x', ?, ?, ?)`, id, "u"+string(rune('a'+id)), time.Now(), time.Now(), time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return identity.WithPrincipal(context.Background(), &identity.Principal{AccountID: id, Username: "u", Role: identity.RoleWindowClerk})
}

var pdf = []byte("%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")

func TestUploadsAreCheckedByExtensionAndContent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := files.NewStore(d, files.LocalBlobs{Dir: t.TempDir()}, 1024)
		ctx := account(t, d, 1)
		cases := []struct {
			name string
			data []byte
			ok   bool
		}{
			{"营业执照.pdf", pdf, true},
			{"photo.PNG", []byte("\x89PNG\r\n\x1a\n....."), true},
			{"scan.jpeg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2}, true},
			{"notes.txt", []byte("hello"), false},                   // not on the list
			{"fake.pdf", []byte("MZ\x90\x00 an executable"), false}, // content does not match
			{"evil.pdf.exe", pdf, false},                            // the real extension is .exe
			{"big.pdf", append(pdf, bytes.Repeat([]byte("x"), 2000)...), false},
			{"empty.pdf", nil, false},
		}
		for _, c := range cases {
			_, err := s.Save(ctx, c.name, bytes.NewReader(c.data))
			if (err == nil) != c.ok {
				t.Errorf("Save(%q) error = %v, want ok=%v", c.name, err, c.ok)
			}
			if err != nil && !errors.Is(err, errs.ErrInvalid) {
				t.Errorf("Save(%q) error is not ErrInvalid: %v", c.name, err)
			}
		}
	})
}

func TestFilesAreStoredUnderTheirHashAndOwned(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		dir := t.TempDir()
		s := files.NewStore(d, files.LocalBlobs{Dir: dir}, 1<<20)
		alice, bob := account(t, d, 1), account(t, d, 2)
		f, err := s.Save(alice, `C:\Users\张三\申请书"<x>.pdf`, bytes.NewReader(pdf))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.ID) != 64 || f.Name != "申请书<x>.pdf" || f.MIME != "application/pdf" {
			t.Errorf("file = %+v", f)
		}
		if _, err := s.Owned(alice, f.ID, 1); err != nil {
			t.Errorf("the uploader does not own the file: %v", err)
		}
		if _, err := s.Owned(bob, f.ID, 2); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("another account owns the file: %v", err)
		}
		// The same content uploaded by bob is one blob with two owners.
		g, err := s.Save(bob, "copy.pdf", bytes.NewReader(pdf))
		if err != nil || g.ID != f.ID {
			t.Fatalf("same content: %v %v", g.ID, err)
		}
		rc, err := s.Open(context.Background(), f.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, pdf) {
			t.Error("content differs")
		}
		if _, err := s.Open(context.Background(), strings.Repeat("0", 64)); !errors.Is(err, errs.ErrNotFound) {
			t.Errorf("missing blob: %v", err)
		}
	})
}

func TestAnonymousCannotUpload(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	s := files.NewStore(d, files.LocalBlobs{Dir: t.TempDir()}, 1<<20)
	if _, err := s.Save(context.Background(), "a.pdf", bytes.NewReader(pdf)); !errors.Is(err, errs.ErrUnauthorized) {
		t.Errorf("anonymous upload: %v", err)
	}
}
