package docs

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/standards"
)

// dateLayout is the form of every date field.
const dateLayout = "2006-01-02"

// maxProgressURL keeps the QR code small enough to scan from paper
// (version ≤ 10 at error-correction level M holds 213 bytes; 256 allows
// some slack before the symbol grows).
const maxProgressURL = 256

// maxMissing bounds the supplement list; a real list is a handful of items.
const maxMissing = 200

// textField describes one printed string: where it lives in a form, its
// length cap, and whether it may contain line breaks. The caps keep every
// single-line field on one line and every table row within one page.
type textField struct {
	key       string
	label     i18n.Msg
	value     string
	max       int
	multiline bool
}

// Validate checks that d holds everything its kind of instrument must
// state, and returns an errs.ErrInvalid carrying one bilingual message per
// offending field (keys as in a JSON form: doc_no, missing[2].name …).
//
// Every kind needs the document number, case number, query code, progress
// URL (http or https, containing the case number and the query code),
// applicant, matter name, department, issuer, date of issue and date of
// submission (not after the date of issue). In addition:
//   - acceptance: CommittedDays ≥ 1 and a DueDate after the date of issue
//     and at least CommittedDays calendar days after submission (N working
//     days can never be fewer calendar days);
//   - rejection: Reason and LegalBasis (《行政许可法》第三十八条第二款 by
//     analogy: a refusal states its reasons);
//   - supplement: at least one missing item, each with a name and a
//     requirement; SupplementBy, if given, not before the date of issue.
//
// A CreditCode, if given, must be a valid GB 32100-2015 code in its
// normalised form. Text the embedded font cannot draw is an error, never a
// silent blank.
func Validate(d CaseDoc) error {
	f := errs.Fields{}
	required := func(key string, label i18n.Msg, v string) {
		if strings.TrimSpace(v) == "" {
			f.Add(key, i18n.M("请填写"+label.Zh, label.En+" is required"))
		}
	}

	if d.Kind.Title() == "" {
		f.Add("kind", i18n.M(fmt.Sprintf("文书类型 %q 无效，应为 acceptance、rejection 或 supplement", d.Kind),
			fmt.Sprintf("Unknown document kind %q: use acceptance, rejection or supplement", d.Kind)))
	}

	texts := d.textFields()
	for _, t := range texts {
		checkText(f, t)
	}
	required("doc_no", i18n.M("文书号", "Document number"), d.DocNo)
	required("case_no", i18n.M("办件编号", "Case number"), d.CaseNo)
	required("query_code", i18n.M("查询码", "Query code"), d.QueryCode)
	required("applicant", i18n.M("申请人名称", "Applicant"), d.Applicant)
	required("matter_name", i18n.M("事项名称", "Matter name"), d.MatterName)
	required("department", i18n.M("承办部门", "Department"), d.Department)
	required("issuer", i18n.M("出具文书的行政机关", "Issuing authority"), d.Issuer)
	checkProgressURL(f, d)

	if d.CreditCode != "" {
		cc := standards.ParseCreditCode(d.CreditCode)
		switch {
		case !cc.Valid():
			var zh, en []string
			for _, e := range cc.Errors {
				zh, en = append(zh, e.Msg.Zh), append(en, e.Msg.En)
			}
			f.Add("credit_code", i18n.M(strings.Join(zh, "；"), strings.Join(en, "; ")))
		case cc.Code != d.CreditCode:
			f.Add("credit_code", i18n.M(fmt.Sprintf("统一社会信用代码应使用规范形式 %s", cc.Code),
				fmt.Sprintf("Use the normalised credit code %s", cc.Code)))
		}
	}

	issued := parseDate(f, "date", i18n.M("出具日期", "Date of issue"), d.Date, true)
	submitted := parseDate(f, "submitted_on", i18n.M("申请日期", "Submission date"), d.SubmittedOn, true)
	if !issued.IsZero() && !submitted.IsZero() && submitted.After(issued) {
		f.Add("submitted_on", i18n.M("申请日期不能晚于出具日期", "The submission date cannot be after the date of issue"))
	}

	switch d.Kind {
	case Acceptance:
		validateAcceptance(f, d, issued, submitted)
	case Rejection:
		required("reason", i18n.M("不予受理理由", "Reason for refusal"), d.Reason)
		required("legal_basis", i18n.M("不予受理的法律依据", "Legal basis of the refusal"), d.LegalBasis)
	case Supplement:
		validateSupplement(f, d, issued)
	}

	checkGlyphs(f, texts)
	return f.Err()
}

func validateAcceptance(f errs.Fields, d CaseDoc, issued, submitted time.Time) {
	if d.CommittedDays < 1 {
		f.Add("committed_days", i18n.M("承诺办结时限应为至少 1 个工作日", "The committed time limit must be at least 1 working day"))
	}
	due := parseDate(f, "due_date", i18n.M("承诺办结日期", "Due date"), d.DueDate, true)
	if due.IsZero() {
		return
	}
	if !issued.IsZero() && !due.After(issued) {
		f.Add("due_date", i18n.M("承诺办结日期应晚于出具日期", "The due date must be after the date of issue"))
		return
	}
	if !submitted.IsZero() && d.CommittedDays >= 1 && due.Before(submitted.AddDate(0, 0, d.CommittedDays)) {
		f.Add("due_date", i18n.M(
			fmt.Sprintf("承诺办结日期早于申请日期加 %d 个自然日，与 %d 个工作日的时限不符", d.CommittedDays, d.CommittedDays),
			fmt.Sprintf("The due date is less than %d calendar days after submission, which cannot be %d working days", d.CommittedDays, d.CommittedDays)))
	}
}

func validateSupplement(f errs.Fields, d CaseDoc, issued time.Time) {
	switch {
	case len(d.Missing) == 0:
		f.Add("missing", i18n.M("请列明需要补正的全部材料", "List every material to be supplemented"))
	case len(d.Missing) > maxMissing:
		f.Add("missing", i18n.M(fmt.Sprintf("补正材料不能超过 %d 项", maxMissing), fmt.Sprintf("At most %d missing items", maxMissing)))
	}
	for i, m := range d.Missing {
		if strings.TrimSpace(m.Name) == "" {
			f.Add(fmt.Sprintf("missing[%d].name", i), i18n.M("请填写材料名称", "Material name is required"))
		}
		if strings.TrimSpace(m.Requirement) == "" {
			f.Add(fmt.Sprintf("missing[%d].requirement", i), i18n.M("请写明补正要求", "State what must be supplemented or corrected"))
		}
	}
	by := parseDate(f, "supplement_by", i18n.M("补正期限", "Supplement deadline"), d.SupplementBy, false)
	if !by.IsZero() && !issued.IsZero() && by.Before(issued) {
		f.Add("supplement_by", i18n.M("补正期限不能早于出具日期", "The supplement deadline cannot be before the date of issue"))
	}
}

// textFields lists every string Render may print, with its limits.
func (d CaseDoc) textFields() []textField {
	fs := []textField{
		{"doc_no", i18n.M("文书号", "Document number"), d.DocNo, 40, false},
		{"case_no", i18n.M("办件编号", "Case number"), d.CaseNo, 40, false},
		{"query_code", i18n.M("查询码", "Query code"), d.QueryCode, 32, false},
		{"applicant", i18n.M("申请人名称", "Applicant"), d.Applicant, 100, false},
		{"credit_code", i18n.M("统一社会信用代码", "Credit code"), d.CreditCode, 18, false},
		{"matter_name", i18n.M("事项名称", "Matter name"), d.MatterName, 200, false},
		{"matter_code", i18n.M("事项编码", "Matter code"), d.MatterCode, 64, false},
		{"department", i18n.M("承办部门", "Department"), d.Department, 100, false},
		{"channel", i18n.M("申报渠道", "Channel"), d.Channel, 30, false},
		{"clerk", i18n.M("经办人", "Clerk"), d.Clerk, 30, false},
		{"issuer", i18n.M("出具文书的行政机关", "Issuing authority"), d.Issuer, 26, false},
		{"contact", i18n.M("咨询电话", "Contact"), d.Contact, 60, false},
	}
	switch d.Kind {
	case Rejection:
		fs = append(fs,
			textField{"reason", i18n.M("不予受理理由", "Reason"), d.Reason, 2000, true},
			textField{"legal_basis", i18n.M("法律依据", "Legal basis"), d.LegalBasis, 1000, true},
			textField{"remedy", i18n.M("救济途径", "Remedy"), d.Remedy, 1000, true})
	case Supplement:
		fs = append(fs, textField{"reason", i18n.M("补正原因", "Reason"), d.Reason, 2000, true})
		for i, m := range d.Missing {
			fs = append(fs,
				textField{fmt.Sprintf("missing[%d].name", i), i18n.M("材料名称", "Material name"), m.Name, 100, false},
				textField{fmt.Sprintf("missing[%d].requirement", i), i18n.M("补正要求", "Requirement"), m.Requirement, 300, true})
		}
	}
	return fs
}

func checkText(f errs.Fields, t textField) {
	if !utf8.ValidString(t.value) {
		f.Add(t.key, i18n.M(t.label.Zh+"含有无效字符", t.label.En+" is not valid UTF-8"))
		return
	}
	if n := utf8.RuneCountInString(t.value); n > t.max {
		f.Add(t.key, i18n.M(fmt.Sprintf("%s不能超过 %d 个字", t.label.Zh, t.max),
			fmt.Sprintf("%s: at most %d characters", t.label.En, t.max)))
		return
	}
	for _, r := range t.value {
		if r == '\n' && t.multiline {
			continue
		}
		if unicode.IsControl(r) {
			f.Add(t.key, i18n.M(t.label.Zh+"不能包含换行或控制字符", t.label.En+" must not contain line breaks or control characters"))
			return
		}
	}
}

func checkGlyphs(f errs.Fields, texts []textField) {
	g, err := newGlyphChecker()
	if err != nil {
		// The font is embedded; failing to parse it is a build defect that
		// Render reports on its own.
		return
	}
	for _, t := range texts {
		miss := g.missing(t.value)
		if len(miss) == 0 {
			continue
		}
		var zh, en []string
		for _, r := range miss {
			zh = append(zh, fmt.Sprintf("「%c」(U+%04X)", r, r))
			en = append(en, fmt.Sprintf("%q (U+%04X)", r, r))
		}
		f.Add(t.key, i18n.M(t.label.Zh+"含有文书字体无法显示的字符："+strings.Join(zh, "、")+"，请改用规范汉字或联系管理员",
			t.label.En+" contains characters the document font cannot print: "+strings.Join(en, ", ")))
	}
}

func checkProgressURL(f errs.Fields, d CaseDoc) {
	const key = "progress_url"
	if strings.TrimSpace(d.ProgressURL) == "" {
		f.Add(key, i18n.M("请填写办理进度查询网址", "Progress URL is required"))
		return
	}
	if len(d.ProgressURL) > maxProgressURL {
		f.Add(key, i18n.M(fmt.Sprintf("查询网址不能超过 %d 字节，否则二维码难以识读", maxProgressURL),
			fmt.Sprintf("The progress URL must be at most %d bytes to keep the QR code readable", maxProgressURL)))
		return
	}
	u, err := url.Parse(d.ProgressURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		f.Add(key, i18n.M("查询网址应为完整的 http(s) 网址", "The progress URL must be an absolute http(s) URL"))
		return
	}
	// The QR code must lead to this case, not another one: the printed case
	// number and query code have to be part of the encoded URL.
	plain := d.ProgressURL
	if s, err := url.QueryUnescape(plain); err == nil {
		plain = s
	}
	if d.CaseNo != "" && !strings.Contains(plain, d.CaseNo) {
		f.Add(key, i18n.M("查询网址中应包含本办件编号", "The progress URL must contain the case number"))
	} else if d.QueryCode != "" && !strings.Contains(plain, d.QueryCode) {
		f.Add(key, i18n.M("查询网址中应包含查询码", "The progress URL must contain the query code"))
	}
}

// parseDate parses a YYYY-MM-DD field; the zero time means absent or invalid.
func parseDate(f errs.Fields, key string, label i18n.Msg, v string, required bool) time.Time {
	if v == "" {
		if required {
			f.Add(key, i18n.M("请填写"+label.Zh, label.En+" is required"))
		}
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		f.Add(key, i18n.M(label.Zh+"格式应为 YYYY-MM-DD", label.En+" must be YYYY-MM-DD"))
		return time.Time{}
	}
	return t
}

// chineseDate prints a validated YYYY-MM-DD date as 2026年3月2日, the form
// GB/T 9704-2012 §7.3.5 prescribes for the date of a document.
func chineseDate(v string) string {
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return v
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
