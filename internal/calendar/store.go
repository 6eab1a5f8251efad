package calendar

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
)

// LoadStored applies every schedule administrators have stored (table
// holiday_years); a stored year overrides the built-in one. All years are
// applied at once, after all of them have been read and validated, so a bad
// row changes nothing; the error names its year. Call it at start, and
// again to pick up years saved by other nodes.
func (c *Calendar) LoadStored(ctx context.Context, d *db.DB) error {
	rows, err := d.QueryContext(ctx, "SELECT year, data, loaded_at, loaded_by FROM holiday_years ORDER BY year")
	if err != nil {
		return fmt.Errorf("load holiday schedules: %w", err)
	}
	defer rows.Close()
	var tables []*yearTable
	for rows.Next() {
		var (
			year int
			data string
			at   time.Time
			by   string
		)
		if err := rows.Scan(&year, &data, &at, &by); err != nil {
			return fmt.Errorf("load holiday schedules: %w", err)
		}
		t, _, err := parseSchedule([]byte(data))
		if err != nil {
			return fmt.Errorf("stored holiday schedule for %d: %w", year, err)
		}
		if t.year != year {
			return fmt.Errorf("stored holiday schedule for %d holds year %d", year, t.year)
		}
		t.setLoaded(at.UTC(), by)
		tables = append(tables, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load holiday schedules: %w", err)
	}
	c.apply(tables...)
	return nil
}

// SaveYear validates a schedule in the holiday-cn JSON format (see
// LoadYear), stores it — replacing a stored schedule of the same year — and
// applies it to this calendar once the transaction has committed. The
// principal in ctx needs identity.PermCalendarManage: otherwise the refusal
// is audited and the error is errs.Forbidden(). The change is audited as
// "calendar.load_year" on object ("holiday_year", year) in the same
// transaction. Invalid data gives errs.ErrInvalid field errors.
func (c *Calendar) SaveYear(ctx context.Context, d *db.DB, data []byte) (YearInfo, error) {
	const action = "calendar.load_year"
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermCalendarManage) {
		_ = audit.WriteAlone(ctx, d, audit.Event{Action: action, ObjectType: "holiday_year",
			ObjectID: peekYear(data), Result: audit.ResultDenied})
		return YearInfo{}, errs.Forbidden()
	}
	t, doc, err := parseSchedule(data)
	if err != nil {
		return YearInfo{}, err
	}
	stored, err := canonical(doc)
	if err != nil {
		return YearInfo{}, fmt.Errorf("save holiday schedule %d: %w", t.year, err)
	}
	at := audit.Now()
	t.setLoaded(at, p.Username)

	c.mu.RLock()
	replaced := ""
	if old := c.years[t.year]; old != nil {
		replaced = old.info.Source
	}
	c.mu.RUnlock()

	err = d.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO holiday_years (year, data, loaded_at, loaded_by) VALUES (?, ?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET data = excluded.data, loaded_at = excluded.loaded_at, loaded_by = excluded.loaded_by`,
			t.year, string(stored), at, p.Username)
		if err != nil {
			return err
		}
		tx.AfterCommit(func() { c.apply(t) })
		return audit.Write(ctx, tx, audit.Event{Action: action, ObjectType: "holiday_year", ObjectID: strconv.Itoa(t.year),
			Detail: map[string]any{
				"holidays":    t.info.Holidays,
				"makeup_days": t.info.MakeupDays,
				"papers":      t.info.Papers,
				"replaced":    replaced, // "embedded", "loaded" or "" (a new year)
			}})
	})
	if err != nil {
		return YearInfo{}, fmt.Errorf("save holiday schedule %d: %w", t.year, err)
	}
	return t.info.clone(), nil
}

// peekYear reads the year of a schedule for the audit record of a refusal,
// which happens before (and without) validation.
func peekYear(data []byte) string {
	var doc struct {
		Year int `json:"year"`
	}
	if len(data) > maxScheduleBytes || json.Unmarshal(data, &doc) != nil || doc.Year == 0 {
		return ""
	}
	return strconv.Itoa(doc.Year)
}
