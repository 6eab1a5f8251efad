package enterprise

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/standards"
)

// Filter selects enterprises. Empty fields match everything.
type Filter struct {
	Q          string // name contains, or credit code prefix
	Industry   string // GB/T 4754 code at any level: "C", "36", "367", "3670"
	Region     string // district or street code; a district matches its streets
	Size       string // large|medium|small|micro|unknown
	Tag        string // tag code, valid today
	AboveScale *bool
	Page       int // 1-based
	PerPage    int // default 20, max 100
}

// Page is one page of results.
type Page struct {
	Items       []Enterprise
	Total       int  // matching enterprises, counted up to CountCap
	TotalCapped bool // more than CountCap match; Total is a lower bound
	Page        int
	PerPage     int
}

// CountCap bounds how far List counts matches: an exact count of a
// million rows costs more than the page itself, and nobody pages that far.
const CountCap = 10_000

// Pages is the number of pages (of the counted matches).
func (p Page) Pages() int {
	if p.PerPage == 0 {
		return 0
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// HasNext reports whether a further page exists.
func (p Page) HasNext() bool {
	return p.Page < p.Pages() || (p.TotalCapped && len(p.Items) == p.PerPage)
}

// List searches the registry (staff with read permission only). Items carry
// their latest facts and tags; contact phones are masked unless the caller
// may edit profiles.
func (s *Service) List(ctx context.Context, f Filter) (Page, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermEnterpriseRead) {
		return Page{}, s.deny(ctx, "enterprise.list", "")
	}
	where, args := s.filterSQL(f)
	f.PerPage = min(max(f.PerPage, 0), 100)
	if f.PerPage == 0 {
		f.PerPage = 20
	}
	f.Page = max(f.Page, 1)
	page := Page{Page: f.Page, PerPage: f.PerPage}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM (SELECT 1 FROM enterprises e"+where+" LIMIT ?) capped",
		append(args, CountCap+1)...).Scan(&page.Total); err != nil {
		return Page{}, fmt.Errorf("count enterprises: %w", err)
	}
	if page.Total > CountCap {
		page.Total, page.TotalCapped = CountCap, true
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+enterpriseCols+" FROM enterprises e"+where+" ORDER BY e.id LIMIT ? OFFSET ?",
		append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return Page{}, fmt.Errorf("list enterprises: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return Page{}, err
		}
		page.Items = append(page.Items, e)
		ids = append(ids, e.ID)
	}
	if err := rows.Err(); err != nil {
		return Page{}, err
	}
	rows.Close()
	if err := s.attach(ctx, page.Items, ids); err != nil {
		return Page{}, err
	}
	if !p.Can(identity.PermEnterpriseWrite) {
		for i := range page.Items {
			page.Items[i].maskContact()
		}
	}
	return page, nil
}

// attach loads latest facts and tags for a page of enterprises and derives
// their size class.
func (s *Service) attach(ctx context.Context, items []Enterprise, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	tags, err := tagsOf(ctx, s.db, ids)
	if err != nil {
		return err
	}
	in, args := db.In(ids)
	rows, err := s.db.QueryContext(ctx, `SELECT enterprise_id, `+factsCols+` FROM enterprise_facts WHERE enterprise_id IN `+in, args...)
	if err != nil {
		return fmt.Errorf("load page facts: %w", err)
	}
	defer rows.Close()
	facts := map[int64]Facts{}
	for rows.Next() {
		var id int64
		fa, err := scanFacts(rows, &id)
		if err != nil {
			return err
		}
		if fa.FiscalYear > facts[id].FiscalYear {
			facts[id] = fa
		}
	}
	today := s.today()
	for i := range items {
		items[i].Facts = facts[items[i].ID]
		items[i].Tags = tags[items[i].ID]
		items[i].derive(today)
	}
	return rows.Err()
}

func (s *Service) filterSQL(f Filter) (string, []any) {
	var where []string
	var args []any
	if q := strings.TrimSpace(f.Q); q != "" {
		if code := strings.ToUpper(q); creditPrefixRE.MatchString(code) {
			// A credit-code prefix: a range on the unique index, on both engines.
			where = append(where, "e.credit_code >= ? AND e.credit_code < ?")
			args = append(args, code, code+"\x7f")
		} else {
			where = append(where, `e.name LIKE ? ESCAPE '\'`)
			args = append(args, "%"+escapeLike(q)+"%")
		}
	}
	if ind := strings.TrimSpace(f.Industry); ind != "" {
		if i, ok := standards.LookupIndustry(ind); ok {
			if i.Level == 1 {
				where = append(where, "e.industry_section = ?")
				args = append(args, i.Section)
			} else {
				where = append(where, "e.industry_code LIKE ?")
				args = append(args, i.Code+"%")
			}
		} else {
			where = append(where, "1 = 0")
		}
	}
	if reg := strings.TrimSpace(f.Region); reg != "" {
		if r, ok := standards.LookupRegion(reg); ok {
			switch r.Level {
			case standards.RegionStreet:
				where = append(where, "e.region_code = ?")
				args = append(args, r.Code)
			case standards.RegionDistrict:
				// A district matches itself and its 9-digit streets.
				where = append(where, "e.region_code LIKE ?")
				args = append(args, r.Code+"%")
			default:
				// The province or one of its city-level groupings.
				where = append(where, "e.region_code LIKE ?")
				args = append(args, strings.TrimRight(r.Code, "0")+"%")
			}
		} else {
			where = append(where, "1 = 0")
		}
	}
	if f.Size != "" {
		where = append(where, "e.size_class = ?")
		args = append(args, f.Size)
	}
	if f.Tag != "" {
		today := s.today()
		where = append(where, `EXISTS (SELECT 1 FROM enterprise_tags t WHERE t.enterprise_id = e.id AND t.tag_code = ?
			AND (t.valid_from IS NULL OR t.valid_from <= ?) AND (t.valid_to IS NULL OR t.valid_to >= ?))`)
		args = append(args, f.Tag, today, today)
	}
	if f.AboveScale != nil {
		where = append(where, "e.above_scale = ?")
		args = append(args, *f.AboveScale)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// creditPrefixRE recognises the start of a credit code (at least six
// characters of its alphabet, beginning with a registration-department
// code and a category digit); anything else searches names.
var creditPrefixRE = regexp.MustCompile(`^[1-9ANY][0-9][0-9A-HJ-NP-RTUW-Y]{4,16}$`)

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
