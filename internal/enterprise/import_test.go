package enterprise_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/standards"
)

func admin() context.Context { return as(identity.RoleAdmin) }

// xlsxOf builds a workbook whose first sheet holds rows from A1 down; a nil
// row is left empty.
func xlsxOf(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func csvOf(rows ...[]string) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.WriteAll(rows)
	return b.String()
}

// badCheck changes the check character (position 18) of a valid code.
func badCheck(good string) string {
	const alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	return good[:17] + string(alphabet[(strings.IndexByte(alphabet, good[17])+1)%len(alphabet)])
}

func importBytes(t testing.TB, svc *enterprise.Service, ctx context.Context, data []byte, format enterprise.ImportFormat) enterprise.ImportReport {
	t.Helper()
	rep, err := svc.Import(ctx, bytes.NewReader(data), format, nil)
	if err != nil {
		t.Fatalf("import: %v (report %+v)", err, rep)
	}
	return rep
}

func countRows(t testing.TB, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func auditRecords(t testing.TB, d *db.DB, f audit.Filter) []audit.Record {
	t.Helper()
	f.Limit = 500
	recs, _, err := audit.List(as(identity.RoleAuditor), d, f)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestImportWritesGoodRowsAndReportsEveryProblemOfTheBadOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		badCode := badCheck(code(102))
		file := xlsxOf(t,
			[]any{"统一社会信用代码", "企业名称", "法定代表人", "成立日期", "区划代码", "行业代码", "联系电话", "年度", "从业人员", "营业收入（元）", "资质标签", "备注"},
			[]any{code(101), "重庆北碚精密机械有限公司", "张伟", time.Date(2015, 6, 18, 0, 0, 0, 0, time.UTC), "500109001", "3670", "13800238888", 2025, 350, "25000000",
				"高新技术企业[2024-01-01~2026-12-31]；专精特新中小企业", "老客户"},
			[]any{badCode, "重庆校验码错误有限公司", "", "", "500109001", "3670"},
			[]any{code(103), "重庆区划错误有限公司", "", "", "110101", "3670"},
			[]any{code(104), "重庆负数有限公司", "", "", "500109001", "3670", "", 2025, "很多", "-100"},
			[]any{code(105), "", "李娜", "", "500109001", "3670"},
			nil,
			[]any{code(106), "重庆蔡家软件科技有限公司", "", "2015/6/18", "500109005", "6513", "023-68862000", "", "", "1,234.50"},
			// Valid but for one unreadable cell: validation passes, and what it wrote must go.
			[]any{code(107), "重庆日期错误有限公司", "", "2015-02-30", "500109001", "3670"},
		)
		rep := importBytes(t, svc, admin(), file, enterprise.FormatXLSX)

		if rep.Total != 7 || rep.Created != 2 || rep.Updated != 0 || rep.Failed != 5 {
			t.Errorf("counts = total %d created %d updated %d failed %d, want 7/2/0/5", rep.Total, rep.Created, rep.Updated, rep.Failed)
		}
		type at struct {
			Row   int
			Field string
		}
		var got []at
		for _, e := range rep.Errors {
			got = append(got, at{e.Row, e.Field})
			if e.Msg.Zh == "" || e.Msg.En == "" {
				t.Errorf("row %d %s: message not in both languages: %+v", e.Row, e.Field, e.Msg)
			}
		}
		want := []at{{3, "credit_code"}, {4, "region_code"}, {5, "employees"}, {5, "revenue_yuan"}, {6, "name"}, {9, "registered_on"}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("errors (-want +got):\n%s\n%+v", diff, rep.Errors)
		}
		for _, e := range rep.Errors {
			if e.Field == "credit_code" && (!strings.Contains(e.Msg.Zh, "第18位") || !strings.Contains(e.Msg.En, "position 18")) {
				t.Errorf("credit code error does not name position 18: %+v", e.Msg)
			}
		}
		var notes []string
		for _, w := range rep.Warnings {
			if strings.Contains(w.Zh, "备注") {
				notes = append(notes, w.Zh)
			}
		}
		if len(notes) != 1 {
			t.Errorf("the unknown column should be reported once, got %q in %+v", notes, rep.Warnings)
		}

		// Nothing of a bad row is written, not even its audit record.
		if n := countRows(t, d, "enterprises"); n != 2 {
			t.Errorf("%d enterprises stored, want 2", n)
		}
		for _, c := range []string{code(103), code(104), code(105), code(107)} {
			if _, err := svc.GetByCreditCode(admin(), c); !errors.Is(err, errs.ErrNotFound) {
				t.Errorf("bad row %s was written: %v", c, err)
			}
		}
		if n := len(auditRecords(t, d, audit.Filter{Action: "enterprise.create"})); n != 2 {
			t.Errorf("%d enterprise.create audit records, want 2", n)
		}
		sum := auditRecords(t, d, audit.Filter{Action: "enterprise.import"})
		if len(sum) != 1 || !strings.Contains(string(sum[0].Detail), `"created":2`) || !strings.Contains(string(sum[0].Detail), `"failed":5`) {
			t.Errorf("import summary audit = %+v", sum)
		}

		a, err := svc.GetByCreditCode(admin(), code(101))
		if err != nil {
			t.Fatal(err)
		}
		if a.RegisteredOn != "2015-06-18" || a.Facts.FiscalYear != 2025 || *a.Facts.Employees != 350 || *a.Facts.RevenueFen != 25_000_000_00 {
			t.Errorf("row 2 stored as %+v / %+v", a, a.Facts)
		}
		var tags []string
		for _, tg := range a.Tags {
			tags = append(tags, tg.Code+"["+tg.ValidFrom+"~"+tg.ValidTo+"]")
		}
		if diff := cmp.Diff([]string{"high_tech[2024-01-01~2026-12-31]", "specialized[~]"}, tags); diff != "" {
			t.Errorf("tags (-want +got):\n%s", diff)
		}
		b, err := svc.GetByCreditCode(admin(), code(106))
		if err != nil {
			t.Fatal(err)
		}
		if b.RegisteredOn != "2015-06-18" || b.Facts.RevenueFen == nil || *b.Facts.RevenueFen != 123450 {
			t.Errorf("row 8 normalised as %q / %v", b.RegisteredOn, b.Facts.RevenueFen)
		}
	})
}

func TestRowNumbersAreTheSpreadsheetsEvenBelowTitlesEmptyLinesAndMultiLineCells(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		file := "2025年北碚区企业名录,,,,\n" +
			"credit_code,name,region_code,industry_code,address\n" +
			code(701) + ",重庆甲公司,500109001,3670,\"北碚区\r\n天生路 1 号\"\n" +
			"\n" +
			code(702) + ",重庆乙公司,110101,3670,\n"
		rep := importBytes(t, svc, admin(), []byte(file), enterprise.FormatCSV)
		if rep.Created != 1 || len(rep.Errors) != 1 || rep.Errors[0].Row != 5 || rep.Errors[0].Field != "region_code" {
			t.Errorf("report %+v, want one region_code error on row 5", rep)
		}
		e, _ := svc.GetByCreditCode(admin(), code(701))
		if e.Address != "北碚区\n天生路 1 号" {
			t.Errorf("multi-line address %q", e.Address)
		}
	})
}

// On PostgreSQL a clerk edits a profile while an import batch updates the
// same profile: both changes must land (no lost update: the update locks the
// row before reading it) and neither transaction may deadlock on the audit
// chain (its head is always locked last, at commit).
func TestAnImportAndAConcurrentEditOfTheSameProfileBothLand(t *testing.T) {
	d := dbtest.OpenPostgres(t)
	svc := newService(t, d)
	x, _, _ := svc.Create(clerk(), machinery(801))
	if _, _, err := svc.Create(clerk(), machinery(802)); err != nil {
		t.Fatal(err)
	}
	locked, edited := make(chan struct{}), make(chan error, 1)
	go func() {
		edited <- d.InTx(clerk(), func(tx *db.Tx) error {
			if _, err := tx.ExecContext(clerk(), "UPDATE enterprises SET address = ? WHERE id = ?", "并发修改的地址", x.ID); err != nil {
				return err
			}
			close(locked)
			time.Sleep(300 * time.Millisecond) // the import now holds the head and waits for this row
			return audit.Write(clerk(), tx, audit.Event{Action: "enterprise.update", ObjectType: "enterprise", ObjectID: fmt.Sprint(x.ID)})
		})
	}()
	<-locked
	file := csvOf([]string{"credit_code", "employees"}, []string{code(802), "400"}, []string{code(801), "500"})
	rep, err := svc.Import(admin(), strings.NewReader(file), enterprise.FormatCSV, nil)
	if err != nil || rep.Updated != 2 {
		t.Errorf("import beside a concurrent edit: %v %+v", err, rep)
	}
	if err := <-edited; err != nil {
		t.Errorf("the clerk's edit: %v", err)
	}
	got, _ := svc.Get(admin(), x.ID)
	if got.Address != "并发修改的地址" || *got.Facts.Employees != 500 {
		t.Errorf("after both: address %q, employees %d", got.Address, *got.Facts.Employees)
	}
}

var fullHeader = []string{"统一社会信用代码", "企业名称", "法定代表人", "成立日期", "区划代码", "地址", "行业代码", "登记注册类型",
	"注册资本（元）", "联系人", "联系电话", "经营范围", "纳税信用级别", "年度", "从业人员", "营业收入（元）", "资产总额（元）",
	"应纳税所得额（元）", "研发费用（元）", "科技人员", "出口额（元）", "资质标签"}

func fullRow(serial int) []string {
	return []string{code(serial), fmt.Sprintf("重庆北碚精密机械制造有限公司%d", serial), "张伟", "2015-06-18", "500109001",
		"重庆市北碚区天生街道天生路 392 号", "3670", "有限责任公司", "5000000", "王芳", "13800238888", "精密机械零部件制造", "A",
		"2025", "350", "25000000", "80000000", "1200000.5", "1500000", "40", "0", "高新技术企业"}
}

func TestImportingAgainUpdatesAndBlankCellsClearNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		file := []byte(csvOf(fullHeader, fullRow(201), fullRow(202)))
		if rep := importBytes(t, svc, admin(), file, enterprise.FormatCSV); rep.Created != 2 || rep.Failed != 0 {
			t.Fatalf("first import: %+v", rep)
		}
		before, _ := svc.GetByCreditCode(admin(), code(201))
		if before.Ownership != "limited" || *before.RegisteredCapitalFen != 500_000_000 || *before.Facts.TaxableIncomeFen != 120_000_050 {
			t.Errorf("first import stored %+v / %+v", before, before.Facts)
		}
		rep := importBytes(t, svc, admin(), file, enterprise.FormatCSV)
		if rep.Created != 0 || rep.Updated != 0 || rep.Unchanged != 2 || rep.Failed != 0 {
			t.Errorf("second import: %+v", rep)
		}
		again, _ := svc.GetByCreditCode(admin(), code(201))
		if again.Version != before.Version {
			t.Errorf("an identical re-import bumped the version from %d to %d", before.Version, again.Version)
		}
		if n := countRows(t, d, "enterprises"); n != 2 {
			t.Errorf("%d enterprises after importing the same file twice, want 2", n)
		}

		partial := csvOf(
			[]string{"统一社会信用代码", "企业名称", "地址", "联系电话", "从业人员", "资质标签", "纳税信用级别"},
			[]string{code(201), "重庆北碚精密机械（集团）有限公司", "", " ", "", "", ""},
		)
		if rep := importBytes(t, svc, admin(), []byte(partial), enterprise.FormatCSV); rep.Updated != 1 || rep.Failed != 0 {
			t.Fatalf("partial import: %+v", rep)
		}
		after, _ := svc.GetByCreditCode(admin(), code(201))
		if after.Name != "重庆北碚精密机械（集团）有限公司" {
			t.Errorf("name not updated: %q", after.Name)
		}
		if after.Address != before.Address || after.ContactPhone != before.ContactPhone || after.TaxCreditGrade != "A" ||
			after.Facts.Employees == nil || *after.Facts.Employees != 350 || len(after.Tags) != 1 {
			t.Errorf("blank cells cleared data:\nbefore %+v\nafter  %+v", before, after)
		}
	})
}

func TestImportReadsGBKAndBOMAndEnglishHeaders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		text := csvOf([]string{"统一社会信用代码", "企业名称", "区划代码", "行业代码", "地址"},
			[]string{code(301), "重庆缙云摩托车配件有限公司", "500109005", "3752", "重庆市北碚区澄江镇"})
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		rep := importBytes(t, svc, admin(), []byte(gbk), enterprise.FormatCSV)
		if rep.Created != 1 || rep.Failed != 0 {
			t.Fatalf("GBK import: %+v", rep)
		}
		e, err := svc.GetByCreditCode(admin(), code(301))
		if err != nil || e.Name != "重庆缙云摩托车配件有限公司" || e.Address != "重庆市北碚区澄江镇" {
			t.Errorf("GBK text decoded as %q %q (%v)", e.Name, e.Address, err)
		}

		bom := "\uFEFF" + csvOf([]string{"Credit Code", " NAME ", "region_code", "Industry code", "Revenue (yuan)"},
			[]string{strings.ToLower(code(302)), "重庆蔡家软件科技有限公司", "500109008", "6513", "900000"})
		rep = importBytes(t, svc, admin(), []byte(bom), enterprise.FormatCSV)
		if rep.Created != 1 || rep.Failed != 0 {
			t.Fatalf("UTF-8 BOM import: %+v", rep)
		}
		if !slices.ContainsFunc(rep.Warnings, func(w i18n.Msg) bool { return strings.Contains(w.Zh, "规范为 "+code(302)) }) {
			t.Errorf("the normalised credit code is not shown: %+v", rep.Warnings)
		}
	})
}

func TestARepeatedCreditCodeUpdatesTheRowBeforeItEvenAcrossBatches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		rows := [][]string{{"credit_code", "name", "region_code", "industry_code", "employees"}}
		for i := range 503 {
			rows = append(rows, []string{code(400 + i), fmt.Sprintf("重庆测试企业%d有限公司", i), "500109001", "3670", "10"})
			if i == 1 {
				rows = append(rows, []string{code(400), "第二次出现", "", "", "20"}) // same batch
			}
		}
		rows = append(rows, []string{code(400), "第三次出现", "", "", ""}) // a later batch
		rows = append(rows, []string{code(399), "区划错误", "110101", "3670", "1"})
		hooked := map[int64]int{}
		svc.OnChange(func(_ context.Context, id int64) { hooked[id]++ })
		var calls [][2]int
		rep, err := svc.Import(admin(), strings.NewReader(csvOf(rows...)), enterprise.FormatCSV, func(done, total int) {
			calls = append(calls, [2]int{done, total})
		})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total != 506 || rep.Created != 503 || rep.Updated != 2 || rep.Failed != 1 {
			t.Errorf("report %+v", rep)
		}
		e, _ := svc.GetByCreditCode(admin(), code(400))
		if e.Name != "第三次出现" || *e.Facts.Employees != 20 {
			t.Errorf("repeated code ended as %q with %d employees", e.Name, *e.Facts.Employees)
		}
		// Change hooks: every profile written, once per batch that wrote it
		// (code 400 in the first and the second), and none for the failed row.
		if len(hooked) != 503 || hooked[e.ID] != 2 {
			t.Errorf("change hooks ran for %d profiles, %d times for the repeated one; want 503 and 2", len(hooked), hooked[e.ID])
		}
		if len(calls) < 3 || calls[0] != [2]int{0, 506} || calls[len(calls)-1] != [2]int{506, 506} {
			t.Errorf("progress calls %v", calls)
		}
		for i := 1; i < len(calls); i++ {
			if calls[i][0] <= calls[i-1][0] {
				t.Errorf("progress went backwards: %v", calls)
			}
		}
	})
}

// profile is what an export must carry through an import unchanged.
type profile struct {
	CreditCode, Name, LegalRep, RegisteredOn, RegionCode, Address, IndustryCode, Ownership string
	Capital                                                                                *int64
	ContactName, ContactPhone, BusinessScope, TaxCreditGrade                               string
	Facts                                                                                  [8]*int64
	Year                                                                                   int
	Tags                                                                                   []enterprise.Tag
	Size                                                                                   standards.SizeClass
}

func profiles(t *testing.T, svc *enterprise.Service) []profile {
	t.Helper()
	page, err := svc.List(admin(), enterprise.Filter{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []profile
	for _, e := range page.Items {
		f := e.Facts
		out = append(out, profile{e.CreditCode, e.Name, e.LegalRep, e.RegisteredOn, e.RegionCode, e.Address, e.IndustryCode, e.Ownership,
			e.RegisteredCapitalFen, e.ContactName, e.ContactPhone, e.BusinessScope, e.TaxCreditGrade,
			[8]*int64{f.Employees, f.RevenueFen, f.AssetsFen, f.TaxableIncomeFen, f.RDExpenseFen, f.TechStaff, f.ExportsFen},
			f.FiscalYear, e.Tags, e.Size.Class})
	}
	slices.SortFunc(out, func(a, b profile) int { return strings.Compare(a.CreditCode, b.CreditCode) })
	return out
}

const hyperlink = `=HYPERLINK("http://evil.example/","点击领取补贴")`

func seedForExport(t *testing.T, svc *enterprise.Service) {
	t.Helper()
	a := machinery(501)
	a.Name = enterprise.Some(hyperlink)
	a.ContactName = enterprise.Some("+8613800000000")
	a.BusinessScope = enterprise.Some("@SUM(1+1)")
	a.Address = enterprise.Some("-1+2 号")
	a.Ownership = enterprise.Some("limited")
	a.RegisteredCapitalFen = enterprise.Some[int64](123_456_78)
	a.TaxCreditGrade = enterprise.Some("B")
	a.TaxableIncomeFen, a.RDExpenseFen, a.TechStaff, a.ExportsFen = wan(120), enterprise.Some[int64](1), enterprise.Some[int64](40), enterprise.Some[int64](0)
	a.Tags = enterprise.Some([]enterprise.TagInput{
		{Code: "high_tech", ValidFrom: "2024-01-01", ValidTo: "2026-12-31", CertificateNo: "GR202450000123"},
		{Code: enterprise.TagQualifiedLimit}, {Code: "little_giant"}})
	b := machinery(502)
	b.RegionCode, b.IndustryCode = enterprise.Some("500103001"), enterprise.Some("5176")
	c := enterprise.Input{CreditCode: enterprise.Some(code(503)), Name: enterprise.Some("重庆只有必填项有限公司"),
		RegionCode: enterprise.Some("500109008"), IndustryCode: enterprise.Some("6513")}
	for _, in := range []enterprise.Input{a, b, c} {
		if _, _, err := svc.Create(clerk(), in); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExportReimportsUnchangedAndDefusesFormulas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		seedForExport(t, svc)
		var buf bytes.Buffer
		n, err := svc.Export(admin(), &buf, enterprise.Filter{}, nil)
		if err != nil || n != 3 {
			t.Fatalf("export: %d, %v", n, err)
		}

		x, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheet := x.GetSheetList()[0]
		rows, _ := x.GetRows(sheet, excelize.Options{RawCellValue: true})
		if len(rows) != 4 || rows[0][0] != "统一社会信用代码" || rows[0][len(rows[0])-1] != "规上" {
			t.Fatalf("sheet rows %q", rows)
		}
		col := func(header string) int { return slices.Index(rows[0], header) }
		var first []string
		for _, r := range rows[1:] {
			if r[0] == code(501) {
				first = r
			}
		}
		if first == nil {
			t.Fatalf("no row for %s in %q", code(501), rows)
		}
		for header, want := range map[string]string{"企业名称": "'" + hyperlink, "联系人": "'+8613800000000",
			"经营范围": "'@SUM(1+1)", "地址": "'-1+2 号", "营业收入（元）": "25000000", "注册资本（元）": "123456.78",
			"登记注册类型": "有限责任公司", "资质标签": "高新技术企业[2024-01-01~2026-12-31]；专精特新“小巨人”企业；限额以上资质（建筑业/房地产开发）"} {
			if got := first[col(header)]; got != want {
				t.Errorf("%s = %q, want %q", header, got, want)
			}
		}
		revenue, _ := excelize.CoordinatesToCellName(col("营业收入（元）")+1, slices.IndexFunc(rows, func(r []string) bool { return r[0] == code(501) })+1)
		if typ, _ := x.GetCellType(sheet, revenue); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("revenue cell %s has type %v, want a number", revenue, typ)
		}
		panes, _ := x.GetPanes(sheet)
		if !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("header row not frozen: %+v", panes)
		}
		sid, _ := x.GetCellStyle(sheet, "A1")
		if st, _ := x.GetStyle(sid); st == nil || st.Font == nil || !st.Font.Bold {
			t.Errorf("header not bold: %+v", st)
		}

		want := profiles(t, svc)
		// Into an empty registry: the same profiles.
		d2 := dbtest.OpenSQLite(t)
		if d.Dialect() == db.Postgres {
			d2 = dbtest.OpenPostgres(t)
		}
		svc2 := newService(t, d2)
		if rep := importBytes(t, svc2, admin(), buf.Bytes(), enterprise.FormatXLSX); rep.Created != 3 || rep.Failed != 0 || len(rep.Warnings) != 0 {
			t.Errorf("import of the export: %+v", rep)
		}
		clearCertificates := func(ps []profile) []profile {
			out := slices.Clone(ps)
			for i := range out {
				out[i].Tags = slices.Clone(out[i].Tags)
				for j := range out[i].Tags {
					out[i].Tags[j].CertificateNo = "" // the sheet has no certificate numbers
				}
			}
			return out
		}
		if diff := cmp.Diff(clearCertificates(want), profiles(t, svc2)); diff != "" {
			t.Errorf("export → import into an empty registry changed profiles (-want +got):\n%s", diff)
		}
		// Back into the registry it came from: nothing changes, certificate numbers included.
		if rep := importBytes(t, svc, admin(), buf.Bytes(), enterprise.FormatXLSX); rep.Unchanged != 3 || rep.Updated != 0 || rep.Failed != 0 {
			t.Errorf("re-import: %+v", rep)
		}
		if diff := cmp.Diff(want, profiles(t, svc)); diff != "" {
			t.Errorf("export → import into the same registry changed profiles (-want +got):\n%s", diff)
		}
	})
}

func TestExportAppliesTheListFilterAndIsAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		seedForExport(t, svc)
		var buf bytes.Buffer
		var calls [][2]int
		n, err := svc.Export(admin(), &buf, enterprise.Filter{Region: "500109", PerPage: 1, Page: 3}, func(done, total int) {
			calls = append(calls, [2]int{done, total})
		})
		if err != nil || n != 2 {
			t.Fatalf("export: %d, %v", n, err)
		}
		if calls[len(calls)-1] != [2]int{2, 2} {
			t.Errorf("progress %v", calls)
		}
		x, _ := excelize.OpenReader(&buf)
		defer x.Close()
		rows, _ := x.GetRows(x.GetSheetList()[0])
		if len(rows) != 3 {
			t.Errorf("%d sheet rows, want header + 2", len(rows))
		}
		recs := auditRecords(t, d, audit.Filter{Action: "enterprise.export"})
		if len(recs) != 1 || !strings.Contains(string(recs[0].Detail), `"count":2`) || !strings.Contains(string(recs[0].Detail), `"Region":"500109"`) {
			t.Errorf("export audit = %+v", recs)
		}
	})
}

func TestWindowClerksCannotImportOrExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		svc := newService(t, d)
		file := csvOf(fullHeader, fullRow(601))
		if _, err := svc.Import(clerk(), strings.NewReader(file), enterprise.FormatCSV, nil); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a clerk imported: %v", err)
		}
		if _, err := svc.Export(clerk(), &bytes.Buffer{}, enterprise.Filter{}, nil); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("a clerk exported: %v", err)
		}
		if _, err := svc.Import(ownerOf(1), strings.NewReader(file), enterprise.FormatCSV, nil); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("an enterprise user imported: %v", err)
		}
		if n := countRows(t, d, "enterprises"); n != 0 {
			t.Errorf("a refused import wrote %d profiles", n)
		}
		for _, action := range []string{"enterprise.import", "enterprise.export"} {
			recs := auditRecords(t, d, audit.Filter{Action: action, Result: audit.ResultDenied})
			if !slices.ContainsFunc(recs, func(r audit.Record) bool { return r.Role == string(identity.RoleWindowClerk) }) {
				t.Errorf("denied %s not audited: %+v", action, recs)
			}
		}
	})
}

func TestDetectFormatChecksNameAndContent(t *testing.T) {
	zip := xlsxOf(t, []any{"统一社会信用代码"})
	text := []byte("统一社会信用代码,企业名称\n")
	cases := []struct {
		name string
		file string
		head []byte
		want enterprise.ImportFormat
	}{
		{"a workbook", "企业名录.xlsx", zip, enterprise.FormatXLSX},
		{"an upper-case extension", "LIST.XLSX", zip, enterprise.FormatXLSX},
		{"a CSV", "list.csv", text, enterprise.FormatCSV},
		{"text named .xlsx", "list.xlsx", text, ""},
		{"a workbook named .csv", "list.csv", zip, ""},
		{"an old .xls", "list.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, ""},
		{"binary named .csv", "list.csv", []byte("a\x00b\x00"), ""},
		{"another extension", "list.txt", text, ""},
	}
	for _, c := range cases {
		got, err := enterprise.DetectFormat(c.file, c.head[:min(len(c.head), 512)])
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: %q, %v; want %q", c.name, got, err, c.want)
		}
		if err != nil && !errors.Is(err, errs.ErrInvalid) {
			t.Errorf("%s: error %v is not ErrInvalid", c.name, err)
		}
	}
}

func TestImportRefusesFilesItCannotTake(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	svc := newService(t, d)
	var long strings.Builder
	long.WriteString("credit_code\n")
	for range enterprise.MaxImportRows + 1 {
		long.WriteString("X\n")
	}
	huge := bytes.Repeat([]byte("a"), enterprise.MaxImportBytes+1)
	cases := []struct {
		name   string
		data   []byte
		format enterprise.ImportFormat
		says   string
	}{
		{"more rows than the limit", []byte(long.String()), enterprise.FormatCSV, "200000"},
		{"more bytes than the limit", huge, enterprise.FormatCSV, "50 MB"},
		{"no credit code column", []byte("name,region_code\n重庆某公司,500109\n"), enterprise.FormatCSV, "统一社会信用代码"},
		{"text said to be a workbook", []byte("credit_code\n"), enterprise.FormatXLSX, "Excel"},
		{"a workbook said to be CSV", xlsxOf(t, []any{"credit_code"}), enterprise.FormatCSV, "压缩包"},
		{"neither UTF-8 nor GBK", []byte("credit_code\n\x81\x20\xff\n"), enterprise.FormatCSV, "编码"},
	}
	for _, c := range cases {
		_, err := svc.Import(admin(), bytes.NewReader(c.data), c.format, nil)
		if !errors.Is(err, errs.ErrInvalid) || !strings.Contains(errs.FieldsOf(err)["file"].Zh, c.says) {
			t.Errorf("%s: %v, want ErrInvalid saying %q", c.name, err, c.says)
		}
	}
	if n := countRows(t, d, "enterprises"); n != 0 {
		t.Errorf("refused files wrote %d profiles", n)
	}
}

// BenchmarkImport times imports of 10,000 generated rows: every row new,
// then every row an update. Run with -bench Import -benchtime 1x.
func BenchmarkImport(b *testing.B) {
	const rows = 10_000
	file := func(offset int) []byte {
		var buf strings.Builder
		w := csv.NewWriter(&buf)
		w.Write(fullHeader)
		for i := range rows {
			w.Write(fullRow(offset + i))
		}
		w.Flush()
		return []byte(buf.String())
	}
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		b.Run(string(dialect), func(b *testing.B) {
			d := dbtest.Open(b, dbtest.URL(b, dialect))
			svc := enterprise.NewService(d)
			if err := enterprise.EnsureDefaultTags(context.Background(), d); err != nil {
				b.Fatal(err)
			}
			run := func(b *testing.B, data []byte, wantCreated int) {
				rep, err := svc.Import(admin(), bytes.NewReader(data), enterprise.FormatCSV, nil)
				if err != nil || rep.Failed != 0 || rep.Created != wantCreated {
					b.Fatalf("import: %v %+v", err, rep)
				}
			}
			next := 100_000 // fresh credit codes however often the framework reruns this
			b.Run("create", func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					data := file(next)
					next += rows
					b.StartTimer()
					run(b, data, rows)
				}
				b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
			b.Run("update", func(b *testing.B) {
				data := file(0)
				if _, err := svc.Import(admin(), bytes.NewReader(data), enterprise.FormatCSV, nil); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				for range b.N {
					run(b, data, 0)
				}
				b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		})
	}
}
