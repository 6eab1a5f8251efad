package docs

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/qinqing/qinqing/internal/errs"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		kind   Kind
		change func(*CaseDoc)
		want   []string // offending fields; none means valid
	}{
		{"a complete acceptance is valid", Acceptance, func(*CaseDoc) {}, nil},
		{"a complete rejection is valid", Rejection, func(*CaseDoc) {}, nil},
		{"a complete supplement notice is valid", Supplement, func(*CaseDoc) {}, nil},
		{"optional particulars may be left out", Acceptance, func(d *CaseDoc) {
			d.CreditCode, d.MatterCode, d.Channel, d.Clerk, d.Contact = "", "", "", "", ""
		}, nil},
		{"an empty acceptance names every missing field", Acceptance, func(d *CaseDoc) { *d = CaseDoc{Kind: Acceptance} },
			[]string{"applicant", "case_no", "committed_days", "date", "department", "doc_no", "due_date", "issuer", "matter_name", "progress_url", "query_code", "submitted_on"}},
		{"an unknown kind is refused", Acceptance, func(d *CaseDoc) { d.Kind = "approval" }, []string{"kind"}},
		{"a rejection states its reason and legal basis", Rejection, func(d *CaseDoc) { d.Reason, d.LegalBasis = " ", "" },
			[]string{"legal_basis", "reason"}},
		{"a rejection may rely on the default remedy", Rejection, func(d *CaseDoc) { d.Remedy = "" }, nil},
		{"a supplement notice lists what is missing", Supplement, func(d *CaseDoc) { d.Missing = nil }, []string{"missing"}},
		{"every missing item has a name and a requirement", Supplement, func(d *CaseDoc) {
			d.Missing = append(d.Missing, MissingItem{Name: "", Requirement: "请提交"}, MissingItem{Name: "章程", Requirement: ""})
		}, []string{"missing[3].name", "missing[4].requirement"}},
		{"the supplement list is bounded", Supplement, func(d *CaseDoc) { d.Missing = manyMissing(201) }, []string{"missing"}},
		{"the supplement deadline is not before the date of issue", Supplement, func(d *CaseDoc) { d.SupplementBy = "2026-03-01" },
			[]string{"supplement_by"}},
		{"the supplement deadline is optional", Supplement, func(d *CaseDoc) { d.SupplementBy = "" }, nil},
		{"dates are YYYY-MM-DD", Acceptance, func(d *CaseDoc) { d.SubmittedOn, d.DueDate = "2026/03/02", "2026-02-30" },
			[]string{"due_date", "submitted_on"}},
		{"the application precedes the instrument", Rejection, func(d *CaseDoc) { d.SubmittedOn = "2026-03-04" }, []string{"submitted_on"}},
		{"the due date follows the date of issue", Acceptance, func(d *CaseDoc) { d.DueDate = "2026-03-03" }, []string{"due_date"}},
		{"N working days are at least N calendar days", Acceptance, func(d *CaseDoc) { d.CommittedDays = 20 }, []string{"due_date"}},
		{"the committed time limit is positive", Acceptance, func(d *CaseDoc) { d.CommittedDays = 0 }, []string{"committed_days"}},
		{"the QR code leads to a web page", Acceptance, func(d *CaseDoc) { d.ProgressURL = "ftp://zwfw.beibei.gov.cn/BB20260302000123/7KQ4M2" },
			[]string{"progress_url"}},
		{"the QR code leads to this case", Acceptance, func(d *CaseDoc) { d.ProgressURL = strings.Replace(d.ProgressURL, "000123", "000124", 1) },
			[]string{"progress_url"}},
		{"the QR code carries the query code", Acceptance, func(d *CaseDoc) { d.ProgressURL = strings.Replace(d.ProgressURL, "7KQ4M2", "", 1) },
			[]string{"progress_url"}},
		{"an escaped case number in the URL counts", Acceptance, func(d *CaseDoc) {
			d.CaseNo = "北碚-2026-0001"
			d.ProgressURL = "https://zwfw.beibei.gov.cn/p?case=%E5%8C%97%E7%A2%9A-2026-0001&code=7KQ4M2"
		}, nil},
		{"the QR URL stays short enough to scan", Acceptance, func(d *CaseDoc) { d.ProgressURL += "&pad=" + strings.Repeat("x", 250) },
			[]string{"progress_url"}},
		{"a credit code must pass GB 32100", Acceptance, func(d *CaseDoc) { d.CreditCode = "91500109MA5U5LKE1W" }, []string{"credit_code"}},
		{"a credit code must be in normalised form", Acceptance, func(d *CaseDoc) { d.CreditCode = strings.ToLower(d.CreditCode) },
			[]string{"credit_code"}},
		{"single-line fields have no line breaks", Rejection, func(d *CaseDoc) { d.Applicant = "重庆缙云山\n茶叶科技有限公司" }, []string{"applicant"}},
		{"the reason may have several paragraphs", Rejection, func(d *CaseDoc) { d.Reason = "一、材料不全；\n二、不属于本机关职权范围" }, nil},
		{"over-long fields are refused", Acceptance, func(d *CaseDoc) {
			d.DocNo = strings.Repeat("号", 41)
			d.Issuer = strings.Repeat("局", 27)
		}, []string{"doc_no", "issuer"}},
		{"characters the font cannot print are refused", Acceptance, func(d *CaseDoc) { d.Applicant = "重庆䶮科技有限公司" }, []string{"applicant"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := sample(tt.kind)
			tt.change(&d)
			err := Validate(d)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("Validate: err = %v, want ErrInvalid", err)
			}
			fields := errs.FieldsOf(err)
			if diff := cmp.Diff(tt.want, slices.Sorted(maps.Keys(fields))); diff != "" {
				t.Errorf("offending fields (-want +got):\n%s\n%v", diff, err)
			}
			for k, m := range fields {
				if m.Zh == "" || m.En == "" {
					t.Errorf("field %s: message %+v is not bilingual", k, m)
				}
			}
		})
	}
}

func TestUnprintableCharacterIsNamed(t *testing.T) {
	d := sample(Acceptance)
	d.Applicant = "重庆䶮科技有限公司"
	m := errs.FieldsOf(Validate(d))["applicant"]
	if !strings.Contains(m.Zh, "「䶮」(U+4DAE)") || !strings.Contains(m.En, "U+4DAE") {
		t.Errorf("message does not name the character: %+v", m)
	}
}
