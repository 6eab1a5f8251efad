package db

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// ArchiveFormat names the layout Backup writes and Restore reads: a
// portable archive of gzip-compressed JSON lines,
//
//	{"format":"qinqing-backup/1","schema_version":1,"dialect":"sqlite","created_at":"…"}
//	{"table":"departments","columns":["code","name",…],"types":["text","text",…]}
//	["FGW","发展和改革委员会",…]
//	…
//	{"end":true,"tables":[{"name":"departments","rows":2,"sha256":"…"},…]}
//
// Tables come parents first. A value is JSON null, true/false, an integer or
// a string when it is one; floats, times, bytes and text that is not valid
// UTF-8 are tagged: {"f":"1.5"}, {"t":"2025-03-14T09:26:53.589793Z"},
// {"b":"<base64>"}, {"x":"<base64>"}. A table's SHA-256 covers the exact
// bytes of its row lines, newlines included.
const ArchiveFormat = "qinqing-backup/1"

// appendValue encodes one value. The column kind matters where a driver's
// value under-describes it: SQLite returns BOOLEAN columns as 0/1 and may
// return a timestamp it could not parse as text.
func appendValue(b []byte, v any, k colKind) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int64:
		if k == kindBool && (v == 0 || v == 1) {
			return strconv.AppendBool(b, v == 1), nil
		}
		return strconv.AppendInt(b, v, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(v), 10), nil
	case float64:
		return appendTagged(b, "f", strconv.FormatFloat(v, 'g', -1, 64)), nil
	case float32:
		return appendTagged(b, "f", strconv.FormatFloat(float64(v), 'g', -1, 32)), nil
	case time.Time:
		return appendTagged(b, "t", v.UTC().Format(time.RFC3339Nano)), nil
	case []byte:
		return appendTagged(b, "b", base64.StdEncoding.EncodeToString(v)), nil
	case string:
		if k == kindTime {
			if t, ok := parseStoredTime(v); ok {
				return appendTagged(b, "t", t.UTC().Format(time.RFC3339Nano)), nil
			}
		}
		if !utf8.ValidString(v) {
			return appendTagged(b, "x", base64.StdEncoding.EncodeToString([]byte(v))), nil
		}
		return appendString(b, v), nil
	default:
		return b, fmt.Errorf("unsupported value type %T", v)
	}
}

func appendTagged(b []byte, tag, s string) []byte {
	b = append(b, `{"`...)
	b = append(b, tag...)
	b = append(b, `":`...)
	return append(appendString(b, s), '}')
}

// appendString writes s, valid UTF-8, as a JSON string. Chinese text stays
// as it is rather than \u-escaped.
func appendString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// storedTimeLayouts are text forms a timestamp may have in SQLite.
var storedTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02",
}

func parseStoredTime(s string) (time.Time, bool) {
	for _, l := range storedTimeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// convert turns an archived value into what the target column needs:
// PostgreSQL wants Go bools for BOOLEAN and times for TIMESTAMPTZ, whatever
// engine wrote the archive. SQLite stores any value in any column, so a value
// that fits no conversion is kept as it is there.
func convert(v any, k colKind, d Dialect) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch k {
	case kindBool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case int64:
			if x == 0 || x == 1 {
				return x == 1, nil
			}
		}
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case int64:
			return float64(x), nil
		}
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			if t, ok := parseStoredTime(x); ok {
				return t, nil
			}
		}
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
	case kindBytes:
		switch x := v.(type) {
		case []byte:
			return x, nil
		case string:
			return []byte(x), nil
		}
	default:
		return v, nil
	}
	if d == SQLite {
		return v, nil
	}
	return nil, fmt.Errorf("cannot store a %T in a %s column", v, k) // no value: it may be personal data
}

// decodeRow parses one row line into nil, bool, int64, float64, string,
// time.Time and []byte values.
func decodeRow(line []byte) ([]any, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(line, &raws); err != nil {
		return nil, err
	}
	out := make([]any, len(raws))
	for i, r := range raws {
		v, err := decodeValue(r)
		if err != nil {
			return nil, fmt.Errorf("value %d: %w", i+1, err)
		}
		out[i] = v
	}
	return out, nil
}

func decodeValue(r json.RawMessage) (any, error) {
	switch r[0] {
	case 'n':
		return nil, nil
	case 't':
		return true, nil
	case 'f':
		return false, nil
	case '"':
		if !bytes.ContainsRune(r, '\\') { // already validated: no escapes to undo
			return string(r[1 : len(r)-1]), nil
		}
		var s string
		err := json.Unmarshal(r, &s)
		return s, err
	case '{':
		var tv struct{ F, T, B, X *string }
		if err := json.Unmarshal(r, &tv); err != nil {
			return nil, err
		}
		switch {
		case tv.F != nil:
			return strconv.ParseFloat(*tv.F, 64)
		case tv.T != nil:
			return time.Parse(time.RFC3339Nano, *tv.T)
		case tv.B != nil:
			return base64.StdEncoding.DecodeString(*tv.B)
		case tv.X != nil:
			b, err := base64.StdEncoding.DecodeString(*tv.X)
			return string(b), err
		}
		return nil, fmt.Errorf("unknown tagged value %s", r)
	}
	return strconv.ParseInt(string(r), 10, 64)
}

// archiveTable is a line that starts a table or, with End set, the trailer.
type archiveTable struct {
	Table   string      `json:"table"`
	Columns []string    `json:"columns"`
	Types   []string    `json:"types"`
	End     bool        `json:"end"`
	Tables  []TableInfo `json:"tables"`
}

// archiveReader reads an archive line by line, counting and hashing each
// table's rows and checking them against the trailer.
type archiveReader struct {
	br   *bufio.Reader
	info BackupInfo // header, plus the tables read so far
	h    hash.Hash  // of the current table's row lines; nil before the first table
	rows int64
	done bool
}

func openArchive(r io.Reader) (*archiveReader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, readError(err)
	}
	ar := &archiveReader{br: bufio.NewReaderSize(zr, 256<<10)}
	line, err := ar.br.ReadBytes('\n')
	if err != nil {
		return nil, readError(err)
	}
	if err := json.Unmarshal(line, &ar.info); err != nil || ar.info.Format == "" {
		return nil, fmt.Errorf("%w: no archive header", ErrArchiveCorrupt)
	}
	if ar.info.Format != ArchiveFormat {
		return nil, fmt.Errorf("unsupported archive format %q (this program reads %q)", ar.info.Format, ArchiveFormat)
	}
	ar.info.Tables = nil
	return ar, nil
}

// next returns the next table header, or the next row line (without its
// newline), or io.EOF once the trailer has matched every table and the
// stream has ended cleanly.
func (ar *archiveReader) next() (*archiveTable, []byte, error) {
	if ar.done {
		return nil, nil, io.EOF
	}
	line, err := ar.br.ReadBytes('\n')
	switch {
	case err == io.EOF && len(line) == 0:
		return nil, nil, fmt.Errorf("%w: the archive ends before its trailer", ErrArchiveCorrupt)
	case err == io.EOF:
		return nil, nil, fmt.Errorf("%w: the last line is cut off", ErrArchiveCorrupt)
	case err != nil:
		return nil, nil, readError(err)
	}
	if line[0] == '[' {
		if ar.h == nil {
			return nil, nil, fmt.Errorf("%w: a row comes before any table", ErrArchiveCorrupt)
		}
		ar.h.Write(line)
		ar.rows++
		return nil, line[:len(line)-1], nil
	}
	if ar.h != nil {
		ar.info.Tables[len(ar.info.Tables)-1].Rows = ar.rows
		ar.info.Tables[len(ar.info.Tables)-1].SHA256 = hex.EncodeToString(ar.h.Sum(nil))
	}
	var t archiveTable
	if err := json.Unmarshal(line, &t); err != nil {
		return nil, nil, fmt.Errorf("%w: unreadable line: %v", ErrArchiveCorrupt, err)
	}
	if t.End {
		if err := ar.checkTrailer(t.Tables); err != nil {
			return nil, nil, err
		}
		// Reading on to the end makes gzip check its own CRC.
		if _, err := ar.br.ReadByte(); err != io.EOF {
			if err == nil {
				return nil, nil, fmt.Errorf("%w: data follows the trailer", ErrArchiveCorrupt)
			}
			return nil, nil, readError(err)
		}
		ar.done = true
		return nil, nil, io.EOF
	}
	if t.Table == "" || slices.ContainsFunc(ar.info.Tables, func(ti TableInfo) bool { return ti.Name == t.Table }) {
		return nil, nil, fmt.Errorf("%w: a line is neither a row nor a new table", ErrArchiveCorrupt)
	}
	ar.info.Tables = append(ar.info.Tables, TableInfo{Name: t.Table})
	ar.h, ar.rows = sha256.New(), 0
	return &t, nil, nil
}

func (ar *archiveReader) checkTrailer(want []TableInfo) error {
	got := ar.info.Tables
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return fmt.Errorf("%w: table %s is listed in the trailer but missing", ErrArchiveCorrupt, want[i].Name)
		case i >= len(want) || got[i].Name != want[i].Name:
			return fmt.Errorf("%w: table %s is not listed in the trailer", ErrArchiveCorrupt, got[i].Name)
		case got[i].Rows != want[i].Rows:
			return fmt.Errorf("%w: table %s has %d rows, the trailer says %d", ErrArchiveCorrupt, got[i].Name, got[i].Rows, want[i].Rows)
		case got[i].SHA256 != want[i].SHA256:
			return fmt.Errorf("%w: table %s does not match its checksum", ErrArchiveCorrupt, got[i].Name)
		}
	}
	return nil
}

// drain reads the rest of the archive to find out whether it is intact.
func (ar *archiveReader) drain() error {
	for {
		if _, _, err := ar.next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// readError classifies a failure to read the compressed stream: damage and
// truncation are ErrArchiveCorrupt, anything else an I/O error.
func readError(err error) error {
	var ce flate.CorruptInputError
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, gzip.ErrChecksum) ||
		errors.Is(err, gzip.ErrHeader) || errors.As(err, &ce) {
		return fmt.Errorf("%w: %v", ErrArchiveCorrupt, err)
	}
	return fmt.Errorf("read archive: %w", err)
}
