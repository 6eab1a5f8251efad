package matter

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// Import limits; a file past them is refused before anything is written.
const (
	MaxImportBytes = 20 << 20
	MaxImportRows  = 20_000
)

const headerScan = 10 // rows searched for a sheet's header, below any title rows

// RowError is one problem with one cell (or, with Field empty, a whole row)
// of an import workbook.
type RowError struct {
	Sheet string   `json:"sheet"` // sheet name, e.g. 事项 or 申请材料
	Row   int      `json:"row"`   // 1-based spreadsheet row
	Field string   `json:"field"` // the column's field name
	Msg   i18n.Msg `json:"msg"`
}

// ImportReport says what an import did. Total counts the non-blank rows of
// the matters sheet; Created + Updated + Unchanged + Failed = Total.
type ImportReport struct {
	Total     int        `json:"total"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"` // a new version was made
	Unchanged int        `json:"unchanged"`
	Failed    int        `json:"failed"`
	Errors    []RowError `json:"errors"`
	Warnings  []i18n.Msg `json:"warnings"`
}

// defaultImportNote is the change note of a version made by an import row
// whose 修改说明 cell is blank.
const defaultImportNote = "Excel 批量导入"

// Import creates or updates matters from an XLSX workbook in Export's
// layout (permission catalogue.manage). Each row of the matters sheet is a
// matter's full set of elements; its materials and form fields are the rows
// of the other two sheets with its 实施编码 (when a sheet is missing, the
// matter keeps what it has). A row whose code exists makes a new version
// (none when nothing differs), any other row creates a matter. A row with
// any problem is not written at all and every problem is reported with its
// sheet, row and field, in both languages; the other rows land, each in its
// own transaction and audited like a form edit. A 版本 cell, when filled,
// must still be the matter's current version, so that a stale file cannot
// overwrite someone else's edit. File-level problems return ErrInvalid
// before anything is written.
func (s *Service) Import(ctx context.Context, r io.Reader) (ImportReport, error) {
	if err := s.mayEdit(ctx, "matter.import", "matter", ""); err != nil {
		return ImportReport{}, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return ImportReport{}, fmt.Errorf("import catalogue: read: %w", err)
	}
	if len(data) > MaxImportBytes {
		return ImportReport{}, fileError(fmt.Sprintf("文件超过 %d MB", MaxImportBytes>>20), fmt.Sprintf("The file is larger than %d MB", MaxImportBytes>>20))
	}
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return ImportReport{}, fileError("文件不是 Excel 工作簿（.xlsx）", "The file is not an Excel workbook (.xlsx)")
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: 1 << 28})
	if err != nil {
		return ImportReport{}, fileError("无法读取 Excel 工作簿："+err.Error(), "Cannot read the Excel workbook: "+err.Error())
	}
	defer f.Close()
	wb, err := parseWorkbook(f)
	if err != nil {
		return ImportReport{}, err
	}
	imp := &importer{s: s, wb: wb, rep: ImportReport{Total: len(wb.matters), Errors: []RowError{}, Warnings: wb.warnings}}
	err = imp.run(ctx)
	result := audit.ResultOK
	if err != nil {
		result = audit.ResultFailed
	}
	// Written even when the caller's context has ended: the rows already
	// committed are in the catalogue.
	if aerr := audit.WriteAlone(context.WithoutCancel(ctx), s.db, audit.Event{Action: "matter.import", ObjectType: "matter",
		Result: result, Detail: map[string]any{"total": imp.rep.Total, "created": imp.rep.Created, "updated": imp.rep.Updated,
			"unchanged": imp.rep.Unchanged, "failed": imp.rep.Failed}}); aerr != nil && err == nil {
		err = fmt.Errorf("import catalogue: audit summary: %w", aerr)
	}
	return imp.rep, err
}

func fileError(zh, en string) error { return errs.Invalid("file", i18n.M(zh, en)) }

// workbook is a parsed import file.
type workbook struct {
	matters       []*matterRow
	materials     map[string][]*materialRow // by 实施编码, in sheet order
	fields        map[string][]*fieldRow
	haveMaterials bool
	haveFields    bool
	orphans       []RowError // material and field rows of matters not in the file
	warnings      []i18n.Msg
}

func parseWorkbook(f *excelize.File) (*workbook, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, fileError("工作簿中没有工作表", "The workbook has no sheet")
	}
	wb := &workbook{materials: map[string][]*materialRow{}, fields: map[string][]*fieldRow{}, warnings: []i18n.Msg{}}
	main := sheets[0]
	if slices.Contains(sheets, sheetMatters) {
		main = sheetMatters
	}
	var err error
	if wb.matters, err = readSheet[matterRow](f, main, matterColumns, "code", &wb.warnings); err != nil {
		return nil, err
	}
	if wb.matters == nil {
		return nil, fileError("找不到事项表头：应有“实施编码”列", "No header found in the matters sheet: it needs an “实施编码” (code) column")
	}
	if len(wb.matters) > MaxImportRows {
		return nil, fileError(fmt.Sprintf("文件超过 %d 行事项", MaxImportRows), fmt.Sprintf("The file has more than %d matters", MaxImportRows))
	}
	inFile := map[string]bool{}
	for _, r := range wb.matters {
		inFile[normCode(r.in.Code)] = true
	}
	if slices.Contains(sheets, sheetMaterials) {
		rows, err := readSheet[materialRow](f, sheetMaterials, materialColumns, "matter_code", &wb.warnings)
		if err != nil {
			return nil, err
		}
		wb.haveMaterials = rows != nil
		for _, r := range rows {
			code := normCode(r.code)
			if !inFile[code] {
				wb.orphans = append(wb.orphans, RowError{Sheet: sheetMaterials, Row: r.row, Field: "matter_code",
					Msg: i18n.M("“事项”表中没有实施编码为 "+code+" 的行", "No row of the matters sheet has the code "+code)})
				continue
			}
			wb.materials[code] = append(wb.materials[code], r)
		}
	} else {
		wb.warnings = append(wb.warnings, i18n.M("没有“申请材料”表：已有事项的材料保持不变", "No materials sheet: existing matters keep their materials"))
	}
	if slices.Contains(sheets, sheetFields) {
		rows, err := readSheet[fieldRow](f, sheetFields, fieldColumns, "matter_code", &wb.warnings)
		if err != nil {
			return nil, err
		}
		wb.haveFields = rows != nil
		for _, r := range rows {
			code := normCode(r.code)
			if !inFile[code] {
				wb.orphans = append(wb.orphans, RowError{Sheet: sheetFields, Row: r.row, Field: "matter_code",
					Msg: i18n.M("“事项”表中没有实施编码为 "+code+" 的行", "No row of the matters sheet has the code "+code)})
				continue
			}
			wb.fields[code] = append(wb.fields[code], r)
		}
	}
	// Rows are ordered by their 序号 when given, else by position.
	for _, rs := range wb.materials {
		slices.SortStableFunc(rs, func(a, b *materialRow) int { return cmp.Compare(a.seq, b.seq) })
	}
	for _, rs := range wb.fields {
		slices.SortStableFunc(rs, func(a, b *fieldRow) int { return cmp.Compare(a.seq, b.seq) })
	}
	return wb, nil
}

// parsed is what every parsed row type offers readSheet.
type parsed[R any] interface {
	*R
	start(row int)
	fail(field string, m i18n.Msg)
}

func (r *matterRow) start(row int)   { r.row = row }
func (r *materialRow) start(row int) { r.row = row }
func (r *fieldRow) start(row int)    { r.row = row }

func (r *matterRow) fail(field string, m i18n.Msg)   { r.bad = addBad(r.bad, field, m) }
func (r *materialRow) fail(field string, m i18n.Msg) { r.bad = addBad(r.bad, field, m) }
func (r *fieldRow) fail(field string, m i18n.Msg)    { r.bad = addBad(r.bad, field, m) }

func addBad(bad map[string]i18n.Msg, field string, m i18n.Msg) map[string]i18n.Msg {
	if bad == nil {
		bad = map[string]i18n.Msg{}
	}
	bad[field] = m
	return bad
}

// readSheet finds the header row (the first of the top rows naming the key
// column) and parses every non-blank row below it. It returns nil when the
// sheet has no header.
func readSheet[R any, V any, PR parsed[R]](f *excelize.File, sheet string, cols []column[R, V], key string, warnings *[]i18n.Msg) ([]*R, error) {
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fileError("无法读取工作表 "+sheet+"："+err.Error(), "Cannot read the sheet "+sheet+": "+err.Error())
	}
	index := headerIndex(cols)
	header, idx := -1, []int(nil)
	for i := 0; i < len(rows) && i < headerScan && header < 0; i++ {
		m := make([]int, len(rows[i]))
		found := false
		var unknown []string
		for j, h := range rows[i] {
			m[j] = -1
			if strings.TrimSpace(h) == "" {
				continue
			}
			c, ok := index[headerKey(h)]
			if !ok {
				unknown = append(unknown, strings.TrimSpace(h))
				continue
			}
			found = found || cols[c].field == key
			if cols[c].set != nil {
				m[j] = c
			}
		}
		if found {
			header, idx = i, m
			if len(unknown) > 0 {
				*warnings = append(*warnings, i18n.M(
					fmt.Sprintf("“%s”表中以下列无法识别，已忽略：%s", sheet, strings.Join(unknown, "、")),
					fmt.Sprintf("Sheet %s: these columns are not recognised and were ignored: %s", sheet, strings.Join(unknown, ", "))))
			}
		}
	}
	if header < 0 {
		return nil, nil
	}
	out := []*R{}
	for i := header + 1; i < len(rows); i++ {
		var r PR = new(R)
		r.start(i + 1)
		blank := true
		for j, raw := range rows[i] {
			if j >= len(idx) || idx[j] < 0 {
				continue
			}
			v := strings.TrimSpace(unescapeFormula(strings.TrimSpace(raw)))
			if v == "" {
				continue
			}
			blank = false
			c := cols[idx[j]]
			if m := c.set((*R)(r), v); m != nil {
				r.fail(c.field, *m)
			}
		}
		if !blank {
			out = append(out, (*R)(r))
		}
	}
	return out, nil
}

// importer carries one import's state.
type importer struct {
	s   *Service
	wb  *workbook
	rep ImportReport
}

func (imp *importer) run(ctx context.Context) error {
	imp.rep.Errors = append(imp.rep.Errors, imp.wb.orphans...)
	seen := map[string]int{}
	for _, r := range imp.wb.matters {
		if err := ctx.Err(); err != nil {
			return err
		}
		code := normCode(r.in.Code)
		if first, dup := seen[code]; dup && code != "" {
			imp.fail(RowError{Sheet: sheetMatters, Row: r.row, Field: "code",
				Msg: i18n.M(fmt.Sprintf("实施编码与第 %d 行重复", first), fmt.Sprintf("Same code as row %d", first))})
			continue
		}
		seen[code] = r.row
		if err := imp.row(ctx, code, r); err != nil {
			return fmt.Errorf("import row %d: %w", r.row, err)
		}
	}
	return nil
}

func (imp *importer) fail(errs ...RowError) {
	imp.rep.Failed++
	imp.rep.Errors = append(imp.rep.Errors, errs...)
}

// row writes one matter row in its own transaction. Problems with the row
// are reported; an error return is a database failure that ends the import.
func (imp *importer) row(ctx context.Context, code string, r *matterRow) error {
	mats, fields := imp.wb.materials[code], imp.wb.fields[code]
	in := r.in
	if imp.wb.haveMaterials {
		in.Materials = make([]Material, len(mats))
		for i, m := range mats {
			in.Materials[i] = m.m
		}
	}
	if imp.wb.haveFields {
		in.FormFields = make([]FormField, len(fields))
		for i, f := range fields {
			in.FormFields[i] = f.f
		}
	}
	if in.ChangeNote == "" {
		in.ChangeNote = defaultImportNote
	}
	if cellErrs := imp.cellErrors(r, mats, fields); len(cellErrs) > 0 {
		// Validation still runs, so that every problem of the row shows at once.
		_, f := in.check()
		imp.fail(imp.rowErrors(r, mats, fields, f, cellErrs)...)
		return nil
	}
	var created, changed bool
	err := imp.s.db.InTx(ctx, func(tx *db.Tx) error {
		cur, err := loadMatter(ctx, tx, code)
		switch {
		case errors.Is(err, errs.ErrNotFound):
			created, changed = true, true
			if _, err := imp.s.createTx(ctx, tx, in, imp.s.now()); err != nil {
				return err
			}
			if r.active != nil && !*r.active {
				_, err := imp.s.setActiveTx(ctx, tx, code, false)
				return err
			}
			return nil
		case err != nil:
			return err
		}
		if r.version != 0 && r.version != cur.Versions {
			return stale(cur.Versions, r.version)
		}
		if !imp.wb.haveMaterials {
			in.Materials = cur.Current.Materials
		}
		if !imp.wb.haveFields {
			in.FormFields = cur.Current.FormFields
		}
		if _, changed, err = imp.s.updateTx(ctx, tx, code, in, cur.Versions, imp.s.now()); err != nil {
			return err
		}
		if r.active != nil {
			toggled, err := imp.s.setActiveTx(ctx, tx, code, *r.active)
			changed = changed || toggled
			return err
		}
		return nil
	})
	var typed *errs.Error
	switch {
	case errors.As(err, &typed):
		imp.fail(imp.rowErrors(r, mats, fields, typed.Fields, nil, typed)...)
		return nil
	case err != nil:
		return err
	case created:
		imp.rep.Created++
	case changed:
		imp.rep.Updated++
	default:
		imp.rep.Unchanged++
	}
	if changed {
		imp.s.changed(ctx, code)
	}
	return nil
}

// cellErrors lists the cells of a matter row and its material and field
// rows that are not in their column's format.
func (imp *importer) cellErrors(r *matterRow, mats []*materialRow, fields []*fieldRow) []RowError {
	var out []RowError
	add := func(sheet string, row int, bad map[string]i18n.Msg) {
		for _, k := range slices.Sorted(maps.Keys(bad)) {
			out = append(out, RowError{Sheet: sheet, Row: row, Field: k, Msg: bad[k]})
		}
	}
	add(sheetMatters, r.row, r.bad)
	for _, m := range mats {
		add(sheetMaterials, m.row, m.bad)
	}
	for _, f := range fields {
		add(sheetFields, f.row, f.bad)
	}
	return out
}

// rowErrors places validation messages on the sheet and row they concern:
// "materials[2].name" on the third material row of the matter, and so on.
// Cells already reported as unreadable are not reported again.
func (imp *importer) rowErrors(r *matterRow, mats []*materialRow, fields []*fieldRow, f map[string]i18n.Msg, cellErrs []RowError, typed ...*errs.Error) []RowError {
	out := append([]RowError(nil), cellErrs...)
	reported := map[string]bool{}
	for _, e := range cellErrs {
		reported[e.Sheet+"/"+strconv.Itoa(e.Row)+"/"+e.Field] = true
	}
	for _, k := range slices.Sorted(maps.Keys(f)) {
		e := RowError{Sheet: sheetMatters, Row: r.row, Field: k, Msg: f[k]}
		if i, field, ok := indexed(k, "materials"); ok && i < len(mats) {
			e.Sheet, e.Row, e.Field = sheetMaterials, mats[i].row, field
		} else if i, field, ok := indexed(k, "form_fields"); ok && i < len(fields) {
			e.Sheet, e.Row, e.Field = sheetFields, fields[i].row, field
		}
		if !reported[e.Sheet+"/"+strconv.Itoa(e.Row)+"/"+e.Field] {
			out = append(out, e)
		}
	}
	for _, t := range typed {
		if t != nil && len(t.Fields) == 0 {
			out = append(out, RowError{Sheet: sheetMatters, Row: r.row, Msg: t.Msg})
		}
	}
	return out
}

// indexed splits "materials[2].name" into 2 and "name".
func indexed(key, list string) (int, string, bool) {
	rest, ok := strings.CutPrefix(key, list+"[")
	if !ok {
		return 0, "", false
	}
	num, field, ok := strings.Cut(rest, "].")
	if !ok {
		return 0, "", false
	}
	i, err := strconv.Atoi(num)
	return i, field, err == nil
}
