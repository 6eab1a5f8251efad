package enterprise

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/standards"
)

// ImportFormat is the file type of a bulk import.
type ImportFormat string

// The import formats.
const (
	FormatCSV  ImportFormat = "csv"
	FormatXLSX ImportFormat = "xlsx"
)

// Import limits. A file past either is refused before anything is written.
const (
	MaxImportBytes = 50 << 20
	MaxImportRows  = 200_000
)

const (
	importBatch = 500 // rows per transaction: one fsync per batch, not per row
	headerScan  = 10  // rows searched for the header, below any title rows
	// The report lists at most this many errors and warnings; the counts stay exact.
	maxReportErrors   = 10_000
	maxReportWarnings = 1_000
)

// RowError is one problem with one cell (or, with Field empty, a whole row)
// of an import file.
type RowError struct {
	Row   int      `json:"row"`   // 1-based spreadsheet row, the header row being 1
	Field string   `json:"field"` // API field name of the column
	Msg   i18n.Msg `json:"msg"`
}

// ImportReport says what an import did. Total counts the non-blank data
// rows; Created + Updated + Unchanged + Failed = Total when the import ran to the end.
type ImportReport struct {
	Total     int        `json:"total"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"` // registered profiles the row already matched
	Failed    int        `json:"failed"`
	Errors    []RowError `json:"errors"`
	Warnings  []i18n.Msg `json:"warnings"`
}

var zipMagic = []byte("PK\x03\x04")

// DetectFormat tells the format of an upload from its file name AND its
// first bytes; a name and content that disagree (a text file named .xlsx, a
// workbook named .csv, an old .xls) are refused.
func DetectFormat(fileName string, head []byte) (ImportFormat, error) {
	isZip := bytes.HasPrefix(head, zipMagic)
	switch ext := strings.ToLower(filepath.Ext(strings.TrimSpace(fileName))); ext {
	case ".xlsx":
		if !isZip {
			return "", fileError("文件扩展名为 .xlsx，但内容不是 Excel 工作簿", "The file is named .xlsx but is not an Excel workbook")
		}
		return FormatXLSX, nil
	case ".csv":
		if err := checkCSVHead(head); err != nil {
			return "", err
		}
		return FormatCSV, nil
	case ".xls":
		return "", fileError("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 CSV", "Old .xls files are not supported; save the file as .xlsx or CSV in Excel")
	default:
		return "", fileError("只能导入 .xlsx 或 .csv 文件", "Only .xlsx and .csv files can be imported")
	}
}

// checkCSVHead refuses content that cannot be CSV text.
func checkCSVHead(head []byte) error {
	switch {
	case bytes.HasPrefix(head, zipMagic):
		return fileError("文件扩展名为 .csv，但内容是压缩包（可能是 Excel 工作簿）", "The file is named .csv but is a zip archive (perhaps an Excel workbook)")
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		return fileError("不支持 UTF-16 文本，请在 Excel 中另存为“CSV UTF-8”", "UTF-16 text is not supported; save as “CSV UTF-8” in Excel")
	case bytes.IndexByte(head, 0) >= 0:
		return fileError("文件扩展名为 .csv，但内容不是文本", "The file is named .csv but is not text")
	}
	return nil
}

func fileError(zh, en string) error { return errs.Invalid("file", i18n.M(zh, en)) }

// Import creates or updates profiles from a CSV or XLSX file (permission
// enterprise.import). A row whose credit code is registered updates that
// profile, any other row creates one; blank cells leave data as it is. Rows
// are validated exactly as Create validates a form: a row with any bad
// field is not written at all and its every field error is reported, while
// the other rows land. A file-level problem (size, row count, encoding, no
// credit-code column) returns ErrInvalid before anything is written.
// progress, when not nil, is called after each batch commits. Each written
// row is audited like a form edit, and the import as a whole once more.
func (s *Service) Import(ctx context.Context, r io.Reader, format ImportFormat, progress func(done, total int)) (ImportReport, error) {
	if !identity.PrincipalFrom(ctx).Can(identity.PermEnterpriseImport) {
		return ImportReport{}, s.deny(ctx, "enterprise.import", "")
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return ImportReport{}, fmt.Errorf("import: read file: %w", err)
	}
	if len(data) > MaxImportBytes {
		return ImportReport{}, fileError(fmt.Sprintf("文件超过 %d MB", MaxImportBytes>>20), fmt.Sprintf("The file is larger than %d MB", MaxImportBytes>>20))
	}
	src, err := openSource(data, format)
	if err != nil {
		return ImportReport{}, err
	}
	defer src.close()

	imp := &importer{s: s, src: src, rep: ImportReport{Errors: []RowError{}, Warnings: []i18n.Msg{}}}
	imp.rep.Warnings = append(imp.rep.Warnings, src.warnings...)
	if err := imp.scan(); err != nil {
		return ImportReport{}, err
	}
	if imp.defs, err = tagDefs(ctx, s.db, false); err != nil {
		return ImportReport{}, err
	}
	progress(0, imp.rep.Total)
	err = imp.run(ctx, func(done int) { progress(done, imp.rep.Total) })
	imp.finishReport()
	if err == nil && imp.rep.Created+imp.rep.Updated >= bulkAnalyzeRows {
		err = s.db.Analyze(ctx)
	}

	result := audit.ResultOK
	if err != nil {
		result = audit.ResultFailed
	}
	// The summary is written even when the caller's context has ended,
	// since the committed batches are in the registry.
	if aerr := audit.WriteAlone(context.WithoutCancel(ctx), s.db, audit.Event{Action: "enterprise.import", ObjectType: "enterprise",
		Result: result, Detail: map[string]any{"format": format, "total": imp.rep.Total, "created": imp.rep.Created,
			"updated": imp.rep.Updated, "unchanged": imp.rep.Unchanged, "failed": imp.rep.Failed}}); aerr != nil && err == nil {
		err = fmt.Errorf("import: audit summary: %w", aerr)
	}
	return imp.rep, err
}

// bulkAnalyzeRows is how many written rows make an import refresh the
// planner's statistics.
const bulkAnalyzeRows = 10_000

// source is a decoded import file that can be read more than once.
type source struct {
	open     func() (sheetReader, error)
	cell     cellCtx
	close    func()
	warnings []i18n.Msg
}

// sheetReader yields the rows of the first sheet with their 1-based
// spreadsheet row numbers, and io.EOF at the end.
type sheetReader interface {
	next() (int, []string, error)
	close()
}

func openSource(data []byte, format ImportFormat) (*source, error) {
	switch format {
	case FormatCSV:
		if err := checkCSVHead(data[:min(len(data), 512)]); err != nil {
			return nil, err
		}
		return openCSV(data)
	case FormatXLSX:
		if !bytes.HasPrefix(data, zipMagic) {
			return nil, fileError("文件不是 Excel 工作簿（.xlsx）", "The file is not an Excel workbook (.xlsx)")
		}
		return openXLSX(data)
	}
	return nil, fileError("只能导入 .xlsx 或 .csv 文件", "Only .xlsx and .csv files can be imported")
}

// openCSV decodes UTF-8 (with or without a BOM) or, when the bytes are not
// valid UTF-8, GB18030 — what Chinese Excel writes for "CSV" — a superset
// of GBK and GB2312.
func openCSV(data []byte) (*source, error) {
	src := &source{close: func() {}}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	text := string(data)
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return nil, fileError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV", "Cannot tell the file's encoding; save it as CSV in UTF-8 or GBK")
		}
		text = string(dec)
		src.warnings = append(src.warnings, i18n.M("文件按 GBK/GB18030 编码读取", "The file was read as GBK/GB18030 text"))
	}
	comma := sniffComma(text)
	src.open = func() (sheetReader, error) {
		cr := csv.NewReader(strings.NewReader(text))
		cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = comma, -1, true
		return &csvSheet{r: cr}, nil
	}
	return src, nil
}

// sniffComma picks the delimiter of the first line: a comma unless the line
// has none and has tabs (Excel "text") or semicolons (European locales).
func sniffComma(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	switch {
	case strings.Contains(line, ","):
		return ','
	case strings.Contains(line, "\t"):
		return '\t'
	case strings.Contains(line, ";"):
		return ';'
	}
	return ','
}

// csvSheet numbers records as a spreadsheet shows them: encoding/csv skips
// empty lines, which a spreadsheet shows as blank rows, so they are counted
// back in; a quoted cell spanning lines is still one row.
type csvSheet struct {
	r        *csv.Reader
	row      int
	nextLine int // the line a record would start on if no empty line came between
}

func (c *csvSheet) next() (int, []string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return 0, nil, fileError(fmt.Sprintf("CSV 第 %d 行格式错误", pe.StartLine), fmt.Sprintf("CSV syntax error on line %d", pe.StartLine))
		}
		return 0, nil, fmt.Errorf("import: read csv: %w", err)
	}
	line, _ := c.r.FieldPos(0)
	if c.row == 0 {
		c.row = line
	} else {
		c.row += 1 + max(line-c.nextLine, 0)
	}
	c.nextLine = line + 1
	for _, f := range rec {
		c.nextLine += strings.Count(f, "\n")
	}
	return c.row, rec, nil
}

func (c *csvSheet) close() {}

// openXLSX opens the workbook; rows are streamed from its first sheet.
func openXLSX(data []byte) (*source, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: 1 << 30})
	if err != nil {
		return nil, fileError("无法读取 Excel 工作簿："+err.Error(), "Cannot read the Excel workbook: "+err.Error())
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, fileError("工作簿中没有工作表", "The workbook has no sheet")
	}
	src := &source{cell: cellCtx{xlsx: true}, close: func() { f.Close() }}
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		src.cell.date1904 = *props.Date1904
	}
	src.open = func() (sheetReader, error) {
		rows, err := f.Rows(sheets[0])
		if err != nil {
			return nil, fileError("无法读取工作表："+err.Error(), "Cannot read the worksheet: "+err.Error())
		}
		return &xlsxSheet{rows: rows}, nil
	}
	return src, nil
}

type xlsxSheet struct {
	rows *excelize.Rows
	row  int
}

func (x *xlsxSheet) next() (int, []string, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return 0, nil, fileError("无法读取工作表："+err.Error(), "Cannot read the worksheet: "+err.Error())
		}
		return 0, nil, io.EOF
	}
	x.row++ // Next steps over rows missing from the file one by one
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, fileError("无法读取工作表："+err.Error(), "Cannot read the worksheet: "+err.Error())
	}
	return x.row, cells, nil
}

func (x *xlsxSheet) close() { x.rows.Close() }

// importer carries one import's state.
type importer struct {
	s         *Service
	src       *source
	headerRow int
	cols      []int // file column → index in columns, -1 when ignored
	defs      []TagDef
	rep       ImportReport
	moreErrs  int // errors beyond maxReportErrors, not listed
	moreWarns int
}

// scan finds the header, maps the columns and counts the data rows, so
// that a file over the row limit is refused before anything is written and
// progress has a total.
func (imp *importer) scan() error {
	sr, err := imp.src.open()
	if err != nil {
		return err
	}
	defer sr.close()
	for imp.headerRow == 0 {
		row, cells, err := sr.next()
		if err == io.EOF || (err == nil && row > headerScan) {
			return fileError("找不到表头：第一行应为列名，并包含“统一社会信用代码”列",
				"No header found: the first row must name the columns, including “统一社会信用代码” (credit_code)")
		}
		if err != nil {
			return err
		}
		if err := imp.readHeader(row, cells); err != nil {
			return err
		}
	}
	for {
		row, cells, err := sr.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if row <= imp.headerRow || imp.blank(cells) {
			continue
		}
		if imp.rep.Total++; imp.rep.Total > MaxImportRows {
			return fileError(fmt.Sprintf("文件超过 %d 行数据，请拆分后分批导入", MaxImportRows),
				fmt.Sprintf("The file has more than %d data rows; split it and import the parts", MaxImportRows))
		}
	}
}

// readHeader takes cells as the header row when one of them names the
// credit-code column; rows above it (titles) are ignored.
func (imp *importer) readHeader(row int, cells []string) error {
	idx := make([]int, len(cells))
	found := false
	seen := map[int]string{}
	var unknown []string
	for i, h := range cells {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		idx[i] = -1
		if h == "" {
			continue
		}
		c, ok := headerIndex[headerKey(h)]
		if !ok {
			unknown = append(unknown, h)
			continue
		}
		if prev, dup := seen[c]; dup {
			return fileError(fmt.Sprintf("表头中“%s”与“%s”是同一列", prev, h), fmt.Sprintf("Header cells %q and %q name the same column", prev, h))
		}
		seen[c] = h
		found = found || columns[c].field == "credit_code"
		if columns[c].read != nil {
			idx[i] = c
		}
	}
	if !found {
		return nil
	}
	imp.headerRow, imp.cols = row, idx
	if len(unknown) > 0 {
		imp.rep.Warnings = append(imp.rep.Warnings, i18n.M(
			"以下列无法识别，已忽略："+strings.Join(unknown, "、"),
			"These columns are not recognised and were ignored: "+strings.Join(unknown, ", ")))
	}
	return nil
}

// cellText is the trimmed text of an imported cell, with an export's
// formula-injection quote removed.
func cellText(s string) string {
	return strings.TrimSpace(unescapeFormula(strings.TrimSpace(s)))
}

// blank reports whether a row has nothing in any imported column.
func (imp *importer) blank(cells []string) bool {
	for i, v := range cells {
		if i < len(imp.cols) && imp.cols[i] >= 0 && cellText(v) != "" {
			return false
		}
	}
	return true
}

// parse turns a data row into an Input; blank cells stay unset.
func (imp *importer) parse(row int, cells []string) importRow {
	r := importRow{row: row}
	for i, raw := range cells {
		if i >= len(imp.cols) || imp.cols[i] < 0 {
			continue
		}
		v := cellText(raw)
		if v == "" {
			continue
		}
		c := columns[imp.cols[i]]
		if m := c.read(&r, v, imp.src.cell); m != nil {
			if r.bad == nil {
				r.bad = map[string]i18n.Msg{}
			}
			r.bad[c.field] = *m
		}
	}
	return r
}

// run reads the data rows again and writes them in batches.
func (imp *importer) run(ctx context.Context, progress func(done int)) error {
	sr, err := imp.src.open()
	if err != nil {
		return err
	}
	defer sr.close()
	batch := make([]importRow, 0, importBatch)
	done := 0
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := imp.writeBatch(ctx, batch); err != nil {
			return err
		}
		done += len(batch)
		batch = batch[:0]
		progress(done)
		return nil
	}
	for {
		row, cells, err := sr.next()
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return err
		}
		if row <= imp.headerRow || imp.blank(cells) {
			continue
		}
		if batch = append(batch, imp.parse(row, cells)); len(batch) == importBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// rowOutcome is what happened to one row, applied to the report only once
// its batch has committed.
type rowOutcome struct {
	row       int
	id        int64
	created   bool
	unchanged bool
	errs      []RowError
	notices   []Notice
}

// writeBatch writes rows in one transaction, each inside a savepoint so a
// failing row is undone alone, then runs the change hooks for the rows
// written.
func (imp *importer) writeBatch(ctx context.Context, batch []importRow) error {
	var outcomes []rowOutcome
	var err error
	for attempt := 1; ; attempt++ {
		err = imp.s.db.InTx(ctx, func(tx *db.Tx) error {
			outcomes = outcomes[:0]
			for _, r := range batch {
				if err := ctx.Err(); err != nil {
					return err
				}
				o, err := imp.writeRow(ctx, tx, r)
				if err != nil {
					return fmt.Errorf("import row %d: %w", r.row, err)
				}
				outcomes = append(outcomes, o)
			}
			return nil
		})
		// Nothing of a rolled-back batch reached the report or the hooks,
		// so a batch PostgreSQL chose as a deadlock victim can run again.
		if err == nil || attempt == 3 || !retryable(err) {
			break
		}
	}
	if err != nil {
		return err
	}
	var touched []int64
	for _, o := range outcomes {
		switch {
		case len(o.errs) > 0:
			imp.rep.Failed++
			for _, e := range o.errs {
				if len(imp.rep.Errors) < maxReportErrors {
					imp.rep.Errors = append(imp.rep.Errors, e)
				} else {
					imp.moreErrs++
				}
			}
			continue
		case o.created:
			imp.rep.Created++
		case o.unchanged:
			imp.rep.Unchanged++
			continue
		default:
			imp.rep.Updated++
		}
		if !slices.Contains(touched, o.id) {
			touched = append(touched, o.id)
		}
		for _, n := range o.notices {
			imp.warn(i18n.M(fmt.Sprintf("第 %d 行 %s：%s", o.row, n.Field, n.Msg.Zh), fmt.Sprintf("Row %d, %s: %s", o.row, n.Field, n.Msg.En)))
		}
	}
	// Hooks run per batch, not per import: a profile written again in a
	// later batch gets its hook again after that batch.
	for _, id := range touched {
		imp.s.changed(ctx, id)
	}
	return nil
}

// retryable reports whether PostgreSQL aborted the transaction for a
// deadlock or a serialisation failure. Two imports (or an import and a bulk
// edit) that touch the same profiles in different orders can lock each
// other's rows; the aborted batch is run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

func (imp *importer) warn(m i18n.Msg) {
	if len(imp.rep.Warnings) < maxReportWarnings {
		imp.rep.Warnings = append(imp.rep.Warnings, m)
	} else {
		imp.moreWarns++
	}
}

// writeRow creates or updates the profile of one row inside a savepoint. A
// row that fails validation comes back with its errors and nothing
// written; an error return is a database failure that ends the import.
func (imp *importer) writeRow(ctx context.Context, tx *db.Tx, r importRow) (rowOutcome, error) {
	o := rowOutcome{row: r.row}
	mark := audit.Mark(tx)
	if _, err := tx.ExecContext(ctx, "SAVEPOINT import_row"); err != nil {
		return o, err
	}
	e, notices, err := imp.apply(ctx, tx, &o, r)
	var typed *errs.Error
	switch {
	case errors.Is(err, errNoChange) && len(r.bad) == 0:
		// The row matches the profile already: undo the provisional writes.
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_row"); err != nil {
			return o, err
		}
		audit.Discard(tx, mark)
		o.unchanged = true
	case err != nil && !errors.As(err, &typed):
		return o, err
	case err != nil || len(r.bad) > 0:
		// Validation runs even for a row with unreadable cells, so that all
		// its problems are reported at once; whatever it wrote goes.
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_row"); err != nil {
			return o, err
		}
		audit.Discard(tx, mark)
		o.errs = rowErrors(r, typed)
	default:
		o.id, o.notices = e.ID, notices
	}
	_, err = tx.ExecContext(ctx, "RELEASE SAVEPOINT import_row")
	return o, err
}

// apply runs the same validation and writes as Create or Update.
func (imp *importer) apply(ctx context.Context, tx *db.Tx, o *rowOutcome, r importRow) (Enterprise, []Notice, error) {
	in := r.in
	var id int64
	if cc := standards.ParseCreditCode(in.CreditCode.V); in.CreditCode.Set && cc.Valid() {
		// Looked up inside the transaction, so a code repeated in the file
		// finds the profile an earlier row created.
		err := tx.QueryRowContext(ctx, "SELECT id FROM enterprises WHERE credit_code = ?", cc.Code).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Enterprise{}, nil, fmt.Errorf("look up credit code: %w", err)
		}
	}
	if r.hasTags {
		tags, err := imp.mergeTags(ctx, tx, id, r.tags)
		if err != nil {
			return Enterprise{}, nil, err
		}
		in.Tags = Some(tags)
	}
	if id == 0 {
		o.created = true
		return imp.s.createTx(ctx, tx, in, "import")
	}
	return imp.s.updateTx(ctx, tx, id, in, "import", true)
}

// mergeTags builds the tag set of a row. The file carries no certificate
// numbers and may omit validity; what it omits is kept from the tags the
// enterprise already holds, as for any blank cell.
func (imp *importer) mergeTags(ctx context.Context, tx *db.Tx, id int64, cells []tagCell) ([]TagInput, error) {
	held := map[string]Tag{}
	if id != 0 {
		tags, err := tagsOf(ctx, tx, []int64{id})
		if err != nil {
			return nil, err
		}
		for _, t := range tags[id] {
			held[t.Code] = t
		}
	}
	out := make([]TagInput, 0, len(cells))
	for _, c := range cells {
		ti := TagInput{Code: c.key, ValidFrom: c.from, ValidTo: c.to}
		if def, ok := findTag(imp.defs, c.key); ok {
			if h, ok := held[def.Code]; ok {
				ti.CertificateNo = h.CertificateNo
				if !c.dated {
					ti.ValidFrom, ti.ValidTo = h.ValidFrom, h.ValidTo
				}
			}
		}
		out = append(out, ti)
	}
	return out, nil
}

// rowErrors lists a failed row's problems in column order: unreadable
// cells, then what validation found in the others.
func rowErrors(r importRow, typed *errs.Error) []RowError {
	fields := map[string]i18n.Msg{}
	var whole []RowError
	if typed != nil {
		switch {
		case len(typed.Fields) > 0:
			for k, m := range typed.Fields {
				fields[k] = m
			}
		case typed.Code == "credit_code_taken":
			fields["credit_code"] = typed.Msg
		default:
			whole = append(whole, RowError{Row: r.row, Msg: typed.Msg})
		}
	}
	for k, m := range r.bad {
		fields[k] = m // the unreadable cell was left unset, so validation said nothing useful about it
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := columnOrder(a) - columnOrder(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	out := make([]RowError, 0, len(keys)+len(whole))
	for _, k := range keys {
		out = append(out, RowError{Row: r.row, Field: k, Msg: fields[k]})
	}
	return append(out, whole...)
}

// finishReport notes what the report's lists leave out.
func (imp *importer) finishReport() {
	if imp.moreErrs > 0 {
		imp.rep.Warnings = append(imp.rep.Warnings, i18n.M(
			fmt.Sprintf("另有 %d 条错误未列出（失败行数共 %d）", imp.moreErrs, imp.rep.Failed),
			fmt.Sprintf("%d more errors are not listed (%d rows failed in all)", imp.moreErrs, imp.rep.Failed)))
	}
	if imp.moreWarns > 0 {
		imp.rep.Warnings = append(imp.rep.Warnings, i18n.M(
			fmt.Sprintf("另有 %d 条提示未列出", imp.moreWarns), fmt.Sprintf("%d more notices are not listed", imp.moreWarns)))
	}
}
