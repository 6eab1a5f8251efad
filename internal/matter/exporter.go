package matter

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Export writes the whole catalogue — every matter's current version,
// active or withdrawn — to w as an XLSX workbook: a sheet of matters, a
// sheet of their materials and a sheet of their online-form fields, the
// latter two keyed by 实施编码. Import reads the same layout, so the file
// re-imports unchanged. Text a spreadsheet would run as a formula is
// prefixed with a single quote. The catalogue is public, so Export needs no
// permission and is not audited.
func (s *Service) Export(ctx context.Context, w io.Writer) error {
	items, err := s.List(ctx, Filter{})
	if err != nil {
		return fmt.Errorf("export catalogue: %w", err)
	}
	deps, err := s.Departments(ctx)
	if err != nil {
		return fmt.Errorf("export catalogue: %w", err)
	}
	x := exportCtx{deptNames: map[string]string{}}
	for _, d := range deps {
		x.deptNames[d.Code] = d.Name
	}
	f := excelize.NewFile()
	defer f.Close()
	header, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", sheetMatters); err != nil {
		return err
	}
	var mats []materialView
	var fields []fieldView
	for _, m := range items {
		for _, mat := range m.Current.Materials {
			mats = append(mats, materialView{code: m.Code, m: mat})
		}
		for i, ff := range m.Current.FormFields {
			fields = append(fields, fieldView{code: m.Code, seq: i + 1, f: ff})
		}
	}
	if err := writeSheet(f, sheetMatters, header, matterColumns, items, x); err != nil {
		return err
	}
	if err := writeSheet(f, sheetMaterials, header, materialColumns, mats, x); err != nil {
		return err
	}
	if err := writeSheet(f, sheetFields, header, fieldColumns, fields, x); err != nil {
		return err
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("export catalogue: write workbook: %w", err)
	}
	return nil
}

// writeSheet writes a header row and one row per value, escaping text
// against formula injection.
func writeSheet[R, V any](f *excelize.File, name string, header int, cols []column[R, V], vals []V, x exportCtx) error {
	idx, err := f.GetSheetIndex(name)
	if err != nil {
		return err
	}
	if idx < 0 {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	var out []column[R, V]
	for _, c := range cols {
		if c.get != nil {
			out = append(out, c)
		}
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(out))
	for i, c := range out {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
		row[i] = excelize.Cell{StyleID: header, Value: c.zh}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for n := range vals {
		row := make([]any, len(out))
		for i, c := range out {
			switch v := c.get(&vals[n], x).(type) {
			case string:
				row[i] = escapeFormula(v)
			default:
				row[i] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("export %s row %d: %w", name, n+2, err)
		}
	}
	return sw.Flush()
}
