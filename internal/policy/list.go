package policy

import (
	"context"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/identity"
)

// Filter selects policies. Empty fields match everything.
type Filter struct {
	Q          string // words in the title, English title, document number, issuer, summary or keywords (all must occur)
	Shelf      Shelf
	Level      Level
	Mode       Mode
	Department string
	Status     Status // staff only; the public always sees published policies
	Page       int    // 1-based
	PerPage    int    // default 20, max 100
}

// Page is one page of policies.
type Page struct {
	Items   []Policy
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p Page) Pages() int {
	if p.PerPage == 0 {
		return 0
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// List returns the policies matching f, newest first. The public and
// enterprises see published policies whose version in effect today is
// still valid; staff who may see drafts see every policy with its newest
// version. A district holds hundreds of policies, not millions: they are
// filtered after loading, with their compiled versions cached.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	drafts := seesDrafts(identity.PrincipalFrom(ctx))
	today := s.today().String()
	rows, err := s.db.QueryContext(ctx, "SELECT id, code, status, latest_version, published_version, rev, created_at, updated_at FROM policies ORDER BY id DESC")
	if err != nil {
		return Page{}, wrap("list policies", err)
	}
	var all []Policy
	for rows.Next() {
		var p Policy
		if err := rows.Scan(&p.ID, &p.Code, &p.Status, &p.Latest, &p.Published, &p.Rev, &p.CreatedAt, &p.UpdatedAt); err != nil {
			rows.Close()
			return Page{}, err
		}
		p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
		all = append(all, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	words := strings.Fields(strings.ToLower(f.Q))
	var items []Policy
	for _, p := range all {
		if drafts {
			if f.Status != "" && p.Status != f.Status {
				continue
			}
			v, err := s.version(ctx, p.ID, p.Latest)
			if err != nil {
				return Page{}, err
			}
			p.Current = *v
		} else {
			if p.Status != StatusPublished {
				continue
			}
			v, err := s.shownVersion(ctx, p, today)
			if err != nil {
				return Page{}, err
			}
			if v.ValidTo != "" && v.ValidTo < today {
				continue // expired
			}
			p.Current = *v
		}
		if !f.matches(p.Current.Input, words) {
			continue
		}
		items = append(items, p)
	}
	f.PerPage = min(max(f.PerPage, 0), 100)
	if f.PerPage == 0 {
		f.PerPage = 20
	}
	f.Page = max(f.Page, 1)
	page := Page{Total: len(items), Page: f.Page, PerPage: f.PerPage}
	from := min((f.Page-1)*f.PerPage, len(items))
	page.Items = items[from:min(from+f.PerPage, len(items))]
	return page, nil
}

func (f Filter) matches(in Input, words []string) bool {
	if f.Shelf != "" && in.Shelf != f.Shelf || f.Level != "" && in.Level != f.Level || f.Mode != "" && in.Mode != f.Mode ||
		f.Department != "" && !strings.EqualFold(in.Department, f.Department) {
		return false
	}
	if len(words) == 0 {
		return true
	}
	text := strings.ToLower(strings.Join([]string{in.Title, in.TitleEn, in.DocumentNo, in.Issuer, in.Summary, in.Keywords,
		in.Code, in.Guide.Beneficiaries}, " "))
	return !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(text, w) })
}

// live is a published policy with the version in effect on a date.
type live struct {
	policy  Policy
	version *Version
}

// livePolicies returns the policies on the shelves with the version in
// effect on asOf, valid on asOf — the ones matching, pushes and runs use.
func (s *Service) livePolicies(ctx context.Context, asOf string) ([]live, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, code, status, latest_version, published_version, rev, created_at, updated_at
		FROM policies WHERE status = 'published' ORDER BY id`)
	if err != nil {
		return nil, wrap("list live policies", err)
	}
	var ps []Policy
	for rows.Next() {
		var p Policy
		if err := rows.Scan(&p.ID, &p.Code, &p.Status, &p.Latest, &p.Published, &p.Rev, &p.CreatedAt, &p.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []live
	for _, p := range ps {
		vs, err := s.publishedVersions(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		v := effectiveOn(vs, asOf)
		if v == nil || !v.ValidOn(asOf) {
			continue
		}
		p.Current = *v
		out = append(out, live{policy: p, version: v})
	}
	return out, nil
}
