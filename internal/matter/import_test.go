package matter_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/matter"
)

func export(t testing.TB, s *matter.Service) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := s.Export(anonymous(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// catalogue is every matter's elements, the way Create takes them, with
// the per-version change note left out.
func catalogue(t testing.TB, s *matter.Service) map[string]matter.MatterInput {
	t.Helper()
	all, err := s.List(anonymous(), matter.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]matter.MatterInput{}
	for _, m := range all {
		in := m.Input()
		in.Name += fmt.Sprintf(" [active=%v]", m.Active)
		out[m.Code] = in
	}
	return out
}

func TestExportThenImportReproducesTheCatalogue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		src := demoService(t, d)
		if err := src.SetActive(admin(), matter.DemoCatalogue()[20].Code, false); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		file := export(t, src)
		t.Logf("export of %d matters: %d KiB in %v", len(matter.DemoCatalogue()), len(file)>>10, time.Since(start).Round(time.Millisecond))

		dst := newService(t, dbtest.Open(t, dbtest.URL(t, d.Dialect())))
		start = time.Now()
		rep, err := dst.Import(admin(), bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("import into an empty catalogue: %v", time.Since(start).Round(time.Millisecond))
		n := len(matter.DemoCatalogue())
		if rep.Total != n || rep.Created != n || rep.Failed != 0 || len(rep.Errors) != 0 {
			t.Fatalf("report: total %d, created %d, failed %d; first errors %v", rep.Total, rep.Created, rep.Failed, rep.Errors[:min(3, len(rep.Errors))])
		}
		if diff := cmp.Diff(catalogue(t, src), catalogue(t, dst)); diff != "" {
			t.Errorf("imported catalogue differs (-exported +imported):\n%s", diff)
		}

		// Importing the file over the catalogue it came from changes nothing.
		rep, err = src.Import(admin(), bytes.NewReader(file))
		if err != nil || rep.Unchanged != n || rep.Updated+rep.Created+rep.Failed != 0 {
			t.Errorf("re-import: %+v, %v", rep, err)
		}
		if v := count(t, d, "SELECT count(*) FROM matter_versions"); v != n {
			t.Errorf("%d versions after a no-op import of %d matters", v, n)
		}
	})
}

func TestExportEscapesFormulasAndImportRestoresThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		in := sample("01")
		in.Name = "=HYPERLINK(\"http://evil\",\"点我\")"
		in.Materials[0].Name = "+申请书"
		if _, err := s.Create(admin(), in); err != nil {
			t.Fatal(err)
		}
		file := export(t, s)
		f, err := excelize.OpenReader(bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for _, c := range []struct{ sheet, cell, want string }{{"事项", "C2", "'" + in.Name}, {"申请材料", "C2", "'+申请书"}} {
			v, _ := f.GetCellValue(c.sheet, c.cell)
			formula, _ := f.GetCellFormula(c.sheet, c.cell)
			if v != c.want || formula != "" {
				t.Errorf("%s!%s = %q (formula %q), want the quoted text %q", c.sheet, c.cell, v, formula, c.want)
			}
		}
		rep, err := s.Import(admin(), bytes.NewReader(file))
		if err != nil || rep.Unchanged != 1 {
			t.Errorf("re-import of escaped cells: %+v %v", rep, err)
		}
	})
}

// edit changes cells of an exported workbook.
func edit(t testing.TB, file []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn(f)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// column finds the letter of a header in row 1.
func column(t testing.TB, f *excelize.File, sheet, header string) string {
	t.Helper()
	rows, _ := f.GetRows(sheet)
	for i, h := range rows[0] {
		if h == header {
			name, _ := excelize.ColumnNumberToName(i + 1)
			return name
		}
	}
	t.Fatalf("no column %s in %s", header, sheet)
	return ""
}

func TestImportReportsEveryProblemPerRowAndLeavesBadRowsAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		for _, n := range []string{"01", "02", "03"} {
			if _, err := s.Create(admin(), sample(n)); err != nil {
				t.Fatal(err)
			}
		}
		file := edit(t, export(t, s), func(f *excelize.File) {
			set := func(sheet, header string, row int, v any) {
				f.SetCellValue(sheet, fmt.Sprintf("%s%d", column(t, f, sheet, header), row), v)
			}
			// Rows 2–4 are matters 01–03 (one department, ordered by name).
			set("事项", "承诺办结时限（工作日）", 2, 99)
			set("事项", "实施部门编码", 2, "NOPE")
			set("事项", "事项名称", 3, "测试许可事项02（新名称）")
			set("事项", "修改说明", 3, "更名")
			set("事项", "到办事现场次数", 4, "很多")
			set("事项", "网上办理深度", 4, 9)
			// Materials rows 2–4 belong to matter 01; row 5 onwards to 02.
			set("申请材料", "材料来源", 3, "蛋")
			set("申请材料", "实施编码", 11, "NOSUCHMATTER")
			set("申请材料", "材料名称", 11, "孤儿材料")
		})
		rep, err := s.Import(admin(), bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Total != 3 || rep.Updated != 1 || rep.Failed != 2 {
			t.Errorf("report %+v", rep)
		}
		type key struct {
			sheet string
			row   int
			field string
		}
		got := map[key]bool{}
		for _, e := range rep.Errors {
			got[key{e.Sheet, e.Row, e.Field}] = true
			if e.Msg.Zh == "" || e.Msg.En == "" {
				t.Errorf("message not in both languages: %+v", e)
			}
		}
		for _, k := range []key{
			{"事项", 2, "committed_limit_days"}, {"事项", 2, "department_code"}, {"申请材料", 3, "source"},
			{"事项", 4, "visits"}, {"事项", 4, "online_depth"}, {"申请材料", 11, "matter_code"},
		} {
			if !got[k] {
				t.Errorf("missing error %+v in %+v", k, rep.Errors)
			}
		}
		m1, _ := s.Get(anonymous(), sample("01").Code)
		m2, _ := s.Get(anonymous(), sample("02").Code)
		m3, _ := s.Get(anonymous(), sample("03").Code)
		if m1.Versions != 1 || m1.Current.CommittedLimitDays != 5 || m3.Versions != 1 {
			t.Errorf("invalid rows were written: 01 v%d, 03 v%d", m1.Versions, m3.Versions)
		}
		if m2.Versions != 2 || m2.Current.Name != "测试许可事项02（新名称）" || m2.Current.ChangeNote != "更名" {
			t.Errorf("the valid row: v%d %q %q", m2.Versions, m2.Current.Name, m2.Current.ChangeNote)
		}

		// The same file again: row 3 was exported at version 1, which is stale now.
		rep, err = s.Import(admin(), bytes.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		stale := false
		for _, e := range rep.Errors {
			stale = stale || (e.Sheet == "事项" && e.Row == 3 && strings.Contains(e.Msg.Zh, "已被他人修改"))
		}
		if !stale || rep.Failed != 3 {
			t.Errorf("stale row not refused: %+v", rep)
		}
	})
}

func TestImportRefusesWhatIsNotAWorkbookAndWhoMayNotEdit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		_, err := s.Import(admin(), strings.NewReader("实施编码,事项名称\n1,2\n"))
		if _, ok := errs.FieldsOf(err)["file"]; !ok {
			t.Errorf("a CSV: %v", err)
		}
		empty := edit(t, export(t, s), func(f *excelize.File) { f.SetCellValue("事项", "A1", "随便") })
		if _, err := s.Import(admin(), bytes.NewReader(empty)); errs.FieldsOf(err)["file"].Zh == "" {
			t.Errorf("no header: %v", err)
		}
		if _, err := s.Import(as("window_clerk"), bytes.NewReader(export(t, s))); !errors.Is(err, errs.ErrForbidden) {
			t.Errorf("clerk import: %v", err)
		}
	})
}
