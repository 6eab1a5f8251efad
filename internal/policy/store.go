package policy

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
)

// loadPolicyRow reads a policy's row; forUpdate locks it on PostgreSQL
// (SQLite's single writer serialises already).
func loadPolicyRow(ctx context.Context, q db.Queryer, id int64, forUpdate bool) (Policy, error) {
	query := "SELECT id, code, status, latest_version, published_version, rev, created_at, updated_at FROM policies WHERE id = ?"
	if forUpdate && q.Dialect() == db.Postgres {
		query += " FOR UPDATE"
	}
	var p Policy
	err := q.QueryRowContext(ctx, query, id).Scan(&p.ID, &p.Code, &p.Status, &p.Latest, &p.Published, &p.Rev, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Policy{}, errPolicyNotFound
	}
	if err != nil {
		return Policy{}, wrap("load policy", err)
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, nil
}

// marshalDefinition is the stored form of a definition: the agreed JSON.
func marshalDefinition(in Input) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		return "", fmt.Errorf("encode policy definition: %w", err)
	}
	return string(bytes.TrimSpace(b.Bytes())), nil
}

func insertVersion(ctx context.Context, tx *db.Tx, id int64, number int, in Input, by string, now time.Time) error {
	def, err := marshalDefinition(in)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO policy_versions (policy_id, number, state, title, level, shelf, mode, department_code,
		valid_from, valid_to, definition, created_at, created_by) VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, number, in.Title, in.Level, in.Shelf, in.Mode, in.Department, in.ValidFrom, in.ValidTo, def, now, by)
	return wrap("insert policy version", err)
}

const versionCols = `policy_id, number, state, COALESCE(effective_from, ''), definition, created_at, created_by, published_at, published_by`

func scanVersion(row interface{ Scan(...any) error }) (*Version, error) {
	var v Version
	var def string
	var pub sql.NullTime
	if err := row.Scan(&v.PolicyID, &v.Number, &v.State, &v.EffectiveFrom, &def, &v.CreatedAt, &v.CreatedBy, &pub, &v.PublishedBy); err != nil {
		return nil, err
	}
	v.CreatedAt = v.CreatedAt.UTC()
	if pub.Valid {
		t := pub.Time.UTC()
		v.PublishedAt = &t
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(def)))
	dec.UseNumber()
	if err := dec.Decode(&v.Input); err != nil {
		return nil, fmt.Errorf("decode policy %d version %d: %w", v.PolicyID, v.Number, err)
	}
	c, err := compileRule(v.Input)
	if err != nil {
		// A stored definition compiled when it was saved; failing now means
		// the attribute catalogue lost something it uses.
		return nil, fmt.Errorf("compile policy %d version %d: %w", v.PolicyID, v.Number, err)
	}
	v.rule, v.formula = c.rule, c.formula
	return &v, nil
}

// loadVersion reads and compiles one version through q.
func loadVersion(ctx context.Context, q db.Queryer, id int64, n int) (*Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, "SELECT "+versionCols+" FROM policy_versions WHERE policy_id = ? AND number = ?", id, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errVersionNotFound
	}
	if err != nil {
		return nil, wrap("load policy version", err)
	}
	return v, nil
}

type versionKey struct {
	policy int64
	number int
}

// version returns a compiled version, from the cache for published ones
// (they never change).
func (s *Service) version(ctx context.Context, id int64, n int) (*Version, error) {
	s.mu.Lock()
	v, ok := s.published[versionKey{id, n}]
	s.mu.Unlock()
	if ok {
		return v, nil
	}
	v, err := loadVersion(ctx, s.db, id, n)
	if err != nil {
		return nil, err
	}
	if v.State == VersionPublished {
		s.mu.Lock()
		s.published[versionKey{id, n}] = v
		s.mu.Unlock()
	}
	return v, nil
}

// publishedVersions lists a policy's published versions in number order.
func (s *Service) publishedVersions(ctx context.Context, id int64) ([]*Version, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT number FROM policy_versions WHERE policy_id = ? AND state = 'published' ORDER BY number", id)
	if err != nil {
		return nil, wrap("list published versions", err)
	}
	var nums []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		nums = append(nums, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*Version, 0, len(nums))
	for _, n := range nums {
		v, err := s.version(ctx, id, n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func eligibilityCompile(in Input) (*eligibility.Rule, error) {
	return eligibility.Compile(eligibility.Default, in.Conditions, "conditions")
}
