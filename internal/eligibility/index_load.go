package eligibility

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
)

// loadPageRows is how many enterprises Load reads per query: large enough
// that the three queries per page cost little, small enough that a page's
// rows and profiles stay a few MiB.
const loadPageRows = 5000

// Load rebuilds the index from the enterprises, their latest fiscal year of
// facts and their tags, reading pages of loadPageRows enterprises in id
// order, and then replaces the content at once: matches keep answering from
// the old content meanwhile. Changes that Update sees while Load reads are
// applied again afterwards, so none is lost. progress(done, total), if not
// nil, is called after each page.
func (x *Index) Load(ctx context.Context, d *db.DB, progress func(done, total int)) error {
	x.loadMu.Lock()
	defer x.loadMu.Unlock()
	x.dirtyMu.Lock()
	x.loading, x.dirty = true, map[int64]struct{}{}
	x.dirtyMu.Unlock()
	stopTracking := func() map[int64]struct{} {
		x.dirtyMu.Lock()
		defer x.dirtyMu.Unlock()
		dirty := x.dirty
		x.loading, x.dirty = false, nil
		return dirty
	}

	var total int
	if err := d.QueryRowContext(ctx, "SELECT count(*) FROM enterprises").Scan(&total); err != nil {
		stopTracking()
		return fmt.Errorf("index load: count enterprises: %w", err)
	}
	s := newStore(x.plan)
	asOf := time.Now().UTC().Format(time.DateOnly) // any date: nothing kept depends on it
	var after int64 = -1 << 63
	for {
		page, err := readEnterprises(ctx, d, "id > ?", after, loadPageRows)
		if err != nil {
			stopTracking()
			return fmt.Errorf("index load: %w", err)
		}
		if len(page) == 0 {
			break
		}
		rows := x.plan.buildRows(page, asOf)
		for i := range rows {
			s.put(len(s.ids), &rows[i], true)
		}
		s.compactCodes()
		after = page[len(page)-1].ID
		if progress != nil {
			progress(len(s.ids), max(total, len(s.ids)))
		}
	}
	x.mu.Lock()
	x.s = s
	x.mu.Unlock()
	for id := range stopTracking() {
		if err := x.Update(ctx, d, id); err != nil {
			return fmt.Errorf("index load: %w", err)
		}
	}
	return nil
}

// Update reloads enterprise id from the database, or removes it from the
// index when it no longer exists.
func (x *Index) Update(ctx context.Context, d *db.DB, id int64) error {
	x.dirtyMu.Lock()
	if x.loading {
		x.dirty[id] = struct{}{}
	}
	x.dirtyMu.Unlock()
	page, err := readEnterprises(ctx, d, "id = ?", id, 1)
	if err != nil {
		return fmt.Errorf("index update %d: %w", id, err)
	}
	rows := x.plan.buildRows(page, time.Now().UTC().Format(time.DateOnly))
	x.mu.Lock()
	defer x.mu.Unlock()
	s := x.s
	row, found := s.row(id)
	switch {
	case len(rows) == 1:
		s.put(row, &rows[0], !found)
	case found:
		s.removeRow(row)
	}
	s.dropDays()
	return nil
}

// readEnterprises reads up to limit enterprises matching where (on id),
// in id order, with their latest facts and their tags: the fields
// FromEnterprise reads.
func readEnterprises(ctx context.Context, d *db.DB, where string, arg any, limit int) ([]enterprise.Enterprise, error) {
	rows, err := d.QueryContext(ctx, `SELECT id, credit_code, COALESCE(registered_on, ''), region_code, industry_code,
		industry_section, ownership, registered_capital_fen, tax_credit_grade, dishonest
		FROM enterprises WHERE `+where+` ORDER BY id LIMIT ?`, arg, limit)
	if err != nil {
		return nil, fmt.Errorf("read enterprises: %w", err)
	}
	var out []enterprise.Enterprise
	for rows.Next() {
		var e enterprise.Enterprise
		var capital sql.NullInt64
		if err := rows.Scan(&e.ID, &e.CreditCode, &e.RegisteredOn, &e.RegionCode, &e.IndustryCode, &e.IndustrySection,
			&e.Ownership, &capital, &e.TaxCreditGrade, &e.Dishonest); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read enterprises: %w", err)
		}
		e.RegisteredCapitalFen = nullInt(capital)
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read enterprises: %w", err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	first, last := out[0].ID, out[len(out)-1].ID
	byID := func(id int64) *enterprise.Enterprise {
		i, ok := slices.BinarySearchFunc(out, id, func(e enterprise.Enterprise, id int64) int { return cmpInt(e.ID, id) })
		if !ok {
			return nil // created after the page was read: its own Update follows
		}
		return &out[i]
	}

	// Facts: the latest fiscal year per enterprise (newest first per id).
	frows, err := d.QueryContext(ctx, `SELECT enterprise_id, fiscal_year, employees, revenue_fen, assets_fen,
		taxable_income_fen, rd_expense_fen, tech_staff, exports_fen, hightech_revenue_fen, costs_fen, ip_class1, ip_class2
		FROM enterprise_facts
		WHERE enterprise_id BETWEEN ? AND ? ORDER BY enterprise_id, fiscal_year DESC`, first, last)
	if err != nil {
		return nil, fmt.Errorf("read facts: %w", err)
	}
	defer frows.Close()
	for frows.Next() {
		var id int64
		var year int
		var v [11]sql.NullInt64
		if err := frows.Scan(&id, &year, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10]); err != nil {
			return nil, fmt.Errorf("read facts: %w", err)
		}
		e := byID(id)
		if e == nil || e.Facts.FiscalYear != 0 {
			continue // not in the page, or an older year
		}
		e.Facts = enterprise.Facts{FiscalYear: year, Employees: nullInt(v[0]), RevenueFen: nullInt(v[1]),
			AssetsFen: nullInt(v[2]), TaxableIncomeFen: nullInt(v[3]), RDExpenseFen: nullInt(v[4]),
			TechStaff: nullInt(v[5]), ExportsFen: nullInt(v[6]), HighTechRevenueFen: nullInt(v[7]), CostsFen: nullInt(v[8]),
			IPClass1: nullInt(v[9]), IPClass2: nullInt(v[10])}
	}
	if err := frows.Err(); err != nil {
		return nil, fmt.Errorf("read facts: %w", err)
	}
	frows.Close()

	trows, err := d.QueryContext(ctx, `SELECT enterprise_id, tag_code, COALESCE(valid_from, ''), COALESCE(valid_to, '')
		FROM enterprise_tags WHERE enterprise_id BETWEEN ? AND ?`, first, last)
	if err != nil {
		return nil, fmt.Errorf("read tags: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id int64
		var t enterprise.Tag
		if err := trows.Scan(&id, &t.Code, &t.ValidFrom, &t.ValidTo); err != nil {
			return nil, fmt.Errorf("read tags: %w", err)
		}
		if e := byID(id); e != nil {
			e.Tags = append(e.Tags, t)
		}
	}
	if err := trows.Err(); err != nil {
		return nil, fmt.Errorf("read tags: %w", err)
	}
	return out, nil
}

func nullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// rowData is one enterprise ready to be put in the index.
type rowData struct {
	id   int64
	p    *Profile // FromEnterprise's profile; its date-free values fill the columns
	tags []tagEntry
	vary map[string]*varying
}

type tagEntry struct {
	code     string
	from, to int32
}

// buildRows computes the rows of a page, in parallel: building a profile
// runs every derived attribute's expression.
func (pl *indexPlan) buildRows(page []enterprise.Enterprise, asOf string) []rowData {
	out := make([]rowData, len(page))
	workers := min(runtime.GOMAXPROCS(0), (len(page)+255)/256)
	if workers <= 1 {
		for i := range page {
			out[i] = pl.buildRow(&page[i], asOf)
		}
		return out
	}
	var wg sync.WaitGroup
	per := (len(page) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*per, min((w+1)*per, len(page))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				out[i] = pl.buildRow(&page[i], asOf)
			}
		})
	}
	wg.Wait()
	return out
}

// buildRow computes one enterprise's values. For an enterprise with tags it
// also evaluates the tag-dependent attributes on every interval where the
// set of valid tags is constant, keeping those whose value changes.
func (pl *indexPlan) buildRow(e *enterprise.Enterprise, asOf string) rowData {
	rd := rowData{id: e.ID, p: FromEnterprise(pl.cat, e, asOf)}
	if pl.tags == "" {
		return rd
	}
	for _, t := range e.Tags {
		from, to := spanOf(t.ValidFrom, t.ValidTo)
		rd.tags = append(rd.tags, tagEntry{code: t.Code, from: from, to: to})
	}
	if len(rd.tags) == 0 || len(pl.tagDep) == 0 {
		return rd
	}
	// The valid set changes on a tag's first day and on the day after its
	// last (to+1 orders correctly as yyyymmdd even past a month's end).
	starts := []int32{0}
	for _, t := range rd.tags {
		if t.from > 0 {
			starts = append(starts, t.from)
		}
		if t.to < openEnd && t.to >= 0 {
			starts = append(starts, t.to+1)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	type valued struct {
		vals  []Value
		known []bool
	}
	memo := map[string]valued{}
	per := make([]valued, len(starts))
	for i, day := range starts {
		var active []string
		for _, t := range rd.tags {
			if t.from <= day && day <= t.to && !slices.Contains(active, t.code) {
				active = append(active, t.code)
			}
		}
		slices.Sort(active)
		key := strings.Join(active, "\x00")
		v, ok := memo[key]
		if !ok {
			q := rd.p.Clone()
			q.vals[pl.tags] = Value{Set: active}
			for _, a := range pl.tagDep {
				derive(q, pl.chains[a.Name])
			}
			v = valued{vals: make([]Value, len(pl.tagDep)), known: make([]bool, len(pl.tagDep))}
			for j, a := range pl.tagDep {
				v.vals[j], v.known[j] = q.vals[a.Name]
			}
			memo[key] = v
		}
		per[i] = v
	}
	for j, a := range pl.tagDep {
		var vr *varying
		for i := range starts {
			val, known := per[i].vals[j], per[i].known[j]
			if vr != nil && sameValue(vr.vals[len(vr.vals)-1], vr.known[len(vr.known)-1], val, known) {
				continue
			}
			if vr == nil {
				vr = &varying{}
			}
			vr.from = append(vr.from, starts[i])
			vr.vals = append(vr.vals, val)
			vr.known = append(vr.known, known)
		}
		if len(vr.from) > 1 {
			if rd.vary == nil {
				rd.vary = map[string]*varying{}
			}
			rd.vary[a.Name] = vr
		}
	}
	return rd
}

func sameValue(a Value, ka bool, b Value, kb bool) bool {
	if ka != kb {
		return false
	}
	return !ka || (a.Num == b.Num && a.Str == b.Str && a.Bool == b.Bool && slices.Equal(a.Set, b.Set))
}

// put writes rd at row, inserting a new row there if insert.
func (s *store) put(row int, rd *rowData, insert bool) {
	if insert {
		if row < len(s.ids) {
			for code, spans := range s.tags {
				for i := range spans {
					if int(spans[i].row) >= row {
						spans[i].row++
					}
				}
				s.tags[code] = spans
			}
		}
		s.ids = slices.Insert(s.ids, row, rd.id)
		for _, c := range s.cols {
			c.insert(row)
		}
	} else {
		s.dropTags(row)
	}
	for name, c := range s.cols {
		v, ok := rd.p.vals[name]
		c.set(row, v, ok)
	}
	for _, t := range rd.tags {
		spans := s.tags[t.code]
		i, _ := slices.BinarySearchFunc(spans, uint32(row), func(sp tagSpan, r uint32) int { return int(sp.row) - int(r) })
		if i < len(spans) && int(spans[i].row) == row {
			continue // one span per tag and enterprise (the table's key)
		}
		s.tags[t.code] = slices.Insert(spans, i, tagSpan{row: uint32(row), from: t.from, to: t.to})
	}
	for name, m := range s.vary {
		if v := rd.vary[name]; v != nil {
			m[rd.id] = v
		} else {
			delete(m, rd.id)
		}
	}
}

// dropTags removes row's tag spans.
func (s *store) dropTags(row int) {
	for code, spans := range s.tags {
		i, found := slices.BinarySearchFunc(spans, uint32(row), func(sp tagSpan, r uint32) int { return int(sp.row) - int(r) })
		if found {
			s.tags[code] = slices.Delete(spans, i, i+1)
		}
	}
}

// removeRow deletes row, shifting the rows after it up.
func (s *store) removeRow(row int) {
	id := s.ids[row]
	s.dropTags(row)
	for code, spans := range s.tags {
		for i := range spans {
			if int(spans[i].row) > row {
				spans[i].row--
			}
		}
		s.tags[code] = spans
	}
	s.ids = slices.Delete(s.ids, row, row+1)
	for _, c := range s.cols {
		c.remove(row)
	}
	for _, m := range s.vary {
		delete(m, id)
	}
}

// compactCodes turns dictionary columns whose codes are nearly all distinct
// into text columns, before their dictionaries grow large.
func (s *store) compactCodes() {
	for name, c := range s.cols {
		if cc, ok := c.(*codeColumn); ok && len(cc.vals) > dictThreshold && len(cc.vals) > len(cc.ids)/2 {
			s.cols[name] = cc.toText()
		}
	}
}

func randomToken() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
