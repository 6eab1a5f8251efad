package matter_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/matter"
)

func TestValidationReportsEveryBadFieldAtOnce(t *testing.T) {
	in := sample("01")
	in.Code = "01240100000"    // not starting with the basic code
	in.BasicCode = "ZZ12"      // too short
	in.Name = "  "             // required
	in.Type = "行政处罚"           // not a service matter type we know
	in.ExerciseLevel = "省级"    // not a level
	in.LegalLimitDays = 5      // committed 5 is fine, but …
	in.CommittedLimitDays = 6  // … exceeds it
	in.Visits = 3              // out of range
	in.OnlineDepth = 5         // out of range
	in.ConsultPhone = "abc"    // not a phone
	in.Events = []string{"开矿"} // unknown event
	neg := int64(-100)
	in.FeeFen = &neg
	in.FormFields = append(in.FormFields, matter.FormField{Name: "Bad Name", LabelZh: "", Type: "select"})
	in.Materials = append(in.Materials,
		matter.Material{Name: "营业执照（复印件）", Required: true, Form: "copy", Copies: 1, Source: "applicant"},
		matter.Material{Name: "证明", Form: "paper", Copies: -1, Source: "platform", SourceRef: "nonsense"})
	err := in.Validate()
	if !errors.Is(err, errs.ErrInvalid) {
		t.Fatalf("err = %v, want invalid", err)
	}
	fields := errs.FieldsOf(err)
	want := []string{"code", "basic_code", "name", "type", "exercise_level", "committed_limit_days", "visits",
		"online_depth", "consult_phone", "events", "fee_yuan",
		"form_fields[2].name", "form_fields[2].label_zh", "form_fields[2].options",
		"materials[3].name", "materials[4].form", "materials[4].copies", "materials[4].source_ref"}
	for _, k := range want {
		if _, ok := fields[k]; !ok {
			t.Errorf("no error for %s", k)
		}
	}
	if extra := len(fields) - len(want); extra != 0 {
		t.Errorf("%d unexpected errors: %v", extra, slices.Sorted(maps.Keys(fields)))
	}
	if m := fields["committed_limit_days"]; !strings.Contains(m.Zh, "不得超过法定时限") || m.En == "" {
		t.Errorf("committed message %+v", m)
	}
	if m := fields["materials[3].name"]; !strings.Contains(m.Zh, "第 2 项") {
		t.Errorf("a duplicate material (营业执照 again, as a photocopy) should name the first: %+v", m)
	}
}

func TestValidationRules(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*matter.MatterInput)
		field string // "" when the input is valid
	}{
		{"the sample is valid", func(*matter.MatterInput) {}, ""},
		{"committed equal to the statutory limit is allowed", func(in *matter.MatterInput) { in.CommittedLimitDays = 20 }, ""},
		{"committed past the statutory limit is refused", func(in *matter.MatterInput) { in.CommittedLimitDays = 21 }, "committed_limit_days"},
		{"no statutory limit allows any committed limit", func(in *matter.MatterInput) {
			in.Type, in.LegalLimitDays, in.CommittedLimitDays = "公共服务", 0, 30
		}, ""},
		{"a permit always has a statutory limit", func(in *matter.MatterInput) { in.LegalLimitDays = 0 }, "legal_limit_days"},
		{"an instant case is decided the same day", func(in *matter.MatterInput) { in.CaseType = "即办件" }, "committed_limit_days"},
		{"an instant case with 0 days is fine", func(in *matter.MatterInput) { in.CaseType, in.CommittedLimitDays = "instant", 0 }, ""},
		{"a promise case needs a day", func(in *matter.MatterInput) { in.CaseType, in.CommittedLimitDays = "承诺件", 0 }, "committed_limit_days"},
		{"an empty case type follows the committed limit", func(in *matter.MatterInput) { in.CaseType, in.CommittedLimitDays = "", 0 }, ""},
		{"fully online means no visit", func(in *matter.MatterInput) { in.OnlineDepth = 4 }, "visits"},
		{"fully online may keep one visit to collect an unmailed certificate", func(in *matter.MatterInput) {
			in.OnlineDepth, in.MailDelivery = 4, false
		}, ""},
		{"but not without a certificate to collect", func(in *matter.MatterInput) {
			in.OnlineDepth, in.MailDelivery, in.ResultName = 4, false, ""
		}, "visits"},
		{"and never two visits", func(in *matter.MatterInput) { in.OnlineDepth, in.MailDelivery, in.Visits = 4, false, 2 }, "visits"},
		{"two or more visits is a valid count otherwise", func(in *matter.MatterInput) { in.Visits = 2 }, ""},
		{"a fee needs its basis", func(in *matter.MatterInput) { f := int64(5500); in.FeeFen = &f }, "fee_basis"},
		{"a fee with its basis is fine", func(in *matter.MatterInput) {
			f := int64(5500)
			in.FeeFen, in.FeeBasis = &f, "发改价格规〔2016〕2559号"
		}, ""},
		{"a licence material names its certificate", func(in *matter.MatterInput) { in.Materials[1].SourceRef = "" }, "materials[1].source_ref"},
		{"a department material names its department", func(in *matter.MatterInput) { in.Materials[2].SourceRef = "" }, "materials[2].source_ref"},
		{"an applicant material has no reference", func(in *matter.MatterInput) { in.Materials[0].SourceRef = "营业执照" }, "materials[0].source_ref"},
		{"a platform material names a registry field", func(in *matter.MatterInput) {
			in.Materials[0].Source, in.Materials[0].SourceRef = "平台共享", "legal_rep"
		}, ""},
		{"prefill must be a registry field", func(in *matter.MatterInput) { in.FormFields[0].Prefill = "salary" }, "form_fields[0].prefill"},
		{"only choices have options", func(in *matter.MatterInput) { in.FormFields[0].Options = []string{"x"} }, "form_fields[0].options"},
		{"form field names are unique", func(in *matter.MatterInput) { in.FormFields[1].Name = "enterprise_name" }, "form_fields[1].name"},
		{"the basic code may have a letter prefix", func(in *matter.MatterInput) {
			in.BasicCode, in.Code = "XK2401000001", "XK240100000150010901"
		}, ""},
		{"codes are ASCII", func(in *matter.MatterInput) { in.Code = in.BasicCode + "北碚" }, "code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := sample("01")
			tc.edit(&in)
			fields := errs.FieldsOf(in.Validate())
			switch {
			case tc.field == "" && len(fields) > 0:
				t.Errorf("want valid, got %v", fields)
			case tc.field != "" && len(fields) != 1:
				t.Errorf("want one error on %s, got %v", tc.field, fields)
			case tc.field != "":
				if _, ok := fields[tc.field]; !ok {
					t.Errorf("want an error on %s, got %v", tc.field, fields)
				}
			}
		})
	}
}

func TestCreateChecksDepartmentsAndTakenCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		s := newService(t, d)
		if _, err := s.Create(admin(), sample("01")); err != nil {
			t.Fatal(err)
		}
		in := sample("01")
		in.DepartmentCode = "NOSUCH"
		in.Materials[2].SourceRef = "ALSONOT"
		in.CommittedLimitDays = 99
		_, err := s.Create(admin(), in)
		fields := errs.FieldsOf(err)
		for _, k := range []string{"code", "department_code", "materials[2].source_ref", "committed_limit_days"} {
			if _, ok := fields[k]; !ok {
				t.Errorf("no error for %s: %v", k, fields)
			}
		}
		if n := count(t, d, "SELECT count(*) FROM matters"); n != 1 {
			t.Errorf("%d matters after a refused create", n)
		}
	})
}
