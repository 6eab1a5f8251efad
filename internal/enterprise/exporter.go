package enterprise

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/identity"
)

const (
	exportSheet = "企业名录"
	exportPage  = 1000
)

// Export writes the profiles matching f (its paging ignored) to w as an
// XLSX workbook with the import columns, so that the file re-imports
// unchanged, plus the derived size and 规上 columns (permission
// enterprise.export). Text that a spreadsheet would run as a formula is
// prefixed with a single quote. The export is audited with its filter and
// count before any byte reaches w. It returns the number of profiles
// written; progress, when not nil, is called after each page.
func (s *Service) Export(ctx context.Context, w io.Writer, f Filter, progress func(done, total int)) (int, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermEnterpriseExport) {
		return 0, s.deny(ctx, "enterprise.export", "")
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	f.Page, f.PerPage = 0, 0
	where, args := s.filterSQL(f)
	var total int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM enterprises e"+where, args...).Scan(&total); err != nil {
		return 0, fmt.Errorf("export: count enterprises: %w", err)
	}
	progress(0, total)

	x := excelize.NewFile()
	defer x.Close()
	sw, styles, err := newExportSheet(x)
	if err != nil {
		return 0, err
	}
	keyset := " WHERE e.id > ?"
	if where != "" {
		keyset = where + " AND e.id > ?"
	}
	query := "SELECT " + enterpriseCols + " FROM enterprises e" + keyset + " ORDER BY e.id LIMIT ?"
	n := 0
	for last := int64(0); ; {
		items, err := s.exportPage(ctx, query, append(args[:len(args):len(args)], last, exportPage))
		if err != nil {
			return 0, err
		}
		if !p.Can(identity.PermEnterpriseWrite) {
			for i := range items {
				items[i].maskContact()
			}
		}
		for i := range items {
			cell, _ := excelize.CoordinatesToCellName(1, n+2)
			if err := sw.SetRow(cell, exportRow(&items[i], styles)); err != nil {
				return 0, fmt.Errorf("export: write row: %w", err)
			}
			n++
		}
		progress(n, total)
		if len(items) < exportPage {
			break
		}
		last = items[len(items)-1].ID
	}
	if err := sw.Flush(); err != nil {
		return 0, fmt.Errorf("export: finish sheet: %w", err)
	}
	// The workbook is complete but not yet sent: a failure to audit stops
	// the data from leaving.
	if err := audit.WriteAlone(ctx, s.db, audit.Event{Action: "enterprise.export", ObjectType: "enterprise",
		Detail: map[string]any{"filter": f, "count": n}}); err != nil {
		return 0, fmt.Errorf("export: audit: %w", err)
	}
	if _, err := x.WriteTo(w); err != nil {
		return 0, fmt.Errorf("export: write workbook: %w", err)
	}
	return n, nil
}

// exportPage reads one keyset page with its latest facts and tags.
func (s *Service) exportPage(ctx context.Context, query string, args []any) ([]Enterprise, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("export: list enterprises: %w", err)
	}
	defer rows.Close()
	var items []Enterprise
	var ids []int64
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, err
		}
		items = append(items, e)
		ids = append(ids, e.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return items, s.attach(ctx, items, ids)
}

type exportStyles struct{ header, money int }

// newExportSheet starts the streamed sheet: widths, a frozen bold header.
func newExportSheet(x *excelize.File) (*excelize.StreamWriter, exportStyles, error) {
	var st exportStyles
	if err := x.SetSheetName("Sheet1", exportSheet); err != nil {
		return nil, st, err
	}
	var err error
	if st.header, err = x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}); err != nil {
		return nil, st, err
	}
	if st.money, err = x.NewStyle(&excelize.Style{NumFmt: 4}); err != nil { // #,##0.00
		return nil, st, err
	}
	sw, err := x.NewStreamWriter(exportSheet)
	if err != nil {
		return nil, st, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, st, err
	}
	for i, c := range columns {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return nil, st, err
		}
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.zh}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: st.header}); err != nil {
		return nil, st, err
	}
	return sw, st, nil
}

// exportRow renders one profile; text is escaped against formula
// injection, numbers stay numbers.
func exportRow(e *Enterprise, st exportStyles) []any {
	row := make([]any, len(columns))
	for i, c := range columns {
		switch v := c.write(e).(type) {
		case string:
			row[i] = escapeFormula(v)
		case float64:
			row[i] = excelize.Cell{StyleID: st.money, Value: v}
		default:
			row[i] = v
		}
	}
	return row
}
