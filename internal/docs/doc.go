// Package docs renders the written instruments (书面凭证) the one-window
// service issues for a case: 受理通知书, 不予受理决定书 and 补正告知书.
//
// 《中华人民共和国行政许可法》（2003年通过，2019年4月23日修正）第三十二条第二款
// requires a written instrument, stamped with the authority's seal and
// dated, whenever an application is accepted or refused; 第一款第（四）项
// requires the list of materials to supplement to be given once and in
// full. Render produces that instrument as an A4 PDF with an embedded CJK
// font and a QR code that leads to the public progress page; the seal
// itself is applied by the issuing office (space is left for it above the
// date).
package docs

// Kind is the type of instrument.
type Kind string

// The instruments this package renders.
const (
	Acceptance Kind = "acceptance" // 受理通知书
	Rejection  Kind = "rejection"  // 不予受理决定书
	Supplement Kind = "supplement" // 补正告知书（一次性告知）
)

// Title returns the document title printed at the top, or "" for an unknown kind.
func (k Kind) Title() string {
	switch k {
	case Acceptance:
		return "受理通知书"
	case Rejection:
		return "不予受理决定书"
	case Supplement:
		return "补正告知书"
	}
	return ""
}

// CaseDoc holds everything printed on one instrument. Dates are YYYY-MM-DD
// and printed as 2026年3月2日. Which fields are required depends on Kind;
// Validate states the rules.
type CaseDoc struct {
	Kind          Kind
	DocNo         string        // 文书号, e.g. 北碚政服受〔2026〕第000123号
	CaseNo        string        // 办件编号
	QueryCode     string        // 查询码 for the public progress page
	ProgressURL   string        // public progress page (with case number and query code), encoded in the QR code
	Applicant     string        // applicant (enterprise) name, the addressee
	CreditCode    string        // 统一社会信用代码 of the applicant, optional; must be in normalised form
	MatterName    string        // matter or 一件事 bundle name
	MatterCode    string        // matter 实施编码, optional
	Department    string        // accepting / handling department
	Channel       string        // display text of the channel (网上申报, 窗口受理 …), optional
	Date          string        // date of issue
	SubmittedOn   string        // date the application was submitted
	CommittedDays int           // 承诺办结时限 in working days (acceptance)
	DueDate       string        // 承诺办结日期 (acceptance)
	Reason        string        // 不予受理理由 (rejection) or what is wrong with the materials (supplement, optional)
	LegalBasis    string        // 法律依据 of the refusal (rejection)
	Remedy        string        // 救济途径 (rejection); DefaultRemedy when empty
	Missing       []MissingItem // the one complete list of materials to supplement (supplement)
	SupplementBy  string        // deadline for the supplement, optional
	Clerk         string        // 经办人, optional
	Issuer        string        // issuing authority printed above the date, e.g. 重庆市北碚区政务服务管理办公室
	Contact       string        // 咨询电话, optional
}

// MissingItem is one entry of the supplement list: the material and what
// the applicant must do about it.
type MissingItem struct{ Name, Requirement string }
