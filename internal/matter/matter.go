// Package matter is the government-service matter catalogue (政务服务事项目录)
// and its 一件事 bundles. A matter carries the national standard elements
// (after GB/T 39554 and the national platform's implementation list): codes,
// type, implementing department, legal basis, statutory and committed time
// limits, visits, online depth, fees, materials and their sources, the
// online form. Every edit makes a new, immutable version, so that a case
// keeps the version it was filed under. Reading the catalogue is public;
// editing needs identity.PermCatalogueManage and is audited.
package matter

import (
	"time"
)

// Matter is one catalogue entry (事项) with its current version.
type Matter struct {
	Code           string // 实施编码
	BasicCode      string // 基本编码
	DepartmentCode string
	Active         bool
	Current        Version // the current version
	Versions       int     // how many versions exist; they are numbered 1..Versions
	InBundles      []string
}

// Version is one immutable version of a matter's elements.
type Version struct {
	MatterCode         string
	Version            int
	Name               string
	NameEn             string
	Type               string // a code of Types, e.g. "permit" (行政许可)
	DepartmentCode     string
	ExerciseLevel      string // a code of ExerciseLevels
	LegalBasis         string // 设定依据
	LegalLimitDays     int    // 法定办结时限, working days; 0: no statutory limit
	CommittedLimitDays int    // 承诺办结时限, working days; 0: decided on the spot
	LimitNote          string // explanation of the limits
	CaseType           string // CaseInstant (即办件) or CasePromise (承诺件)
	Visits             int    // 到办事现场次数: 0, 1, or 2 meaning two or more
	OnlineDepth        int    // 网上办理深度 1–4, see Depths
	MailDelivery       bool   // 是否支持物流快递 (results mailed free of charge)
	FeeBasis           string // 收费依据
	FeeFen             *int64 // 收费标准 in fen; nil: free of charge (不收费)
	AcceptConditions   string // 受理条件
	Process            string // 办理流程
	Location           string // 办理地点
	Hours              string // 办理时间
	ConsultPhone       string // 咨询电话
	ComplaintPhone     string // 投诉电话
	ResultName         string // 证照/结果名称, e.g. 营业执照
	Events             []string
	FormFields         []FormField
	Materials          []Material
	ChangeNote         string
	CreatedAt          time.Time
	CreatedBy          string
}

// Material is one application material (申请材料) of a version.
type Material struct {
	Seq       int    `json:"seq"` // 1-based position; assigned from the order given
	Name      string `json:"name"`
	Required  bool   `json:"required"`
	Form      string `json:"form"`       // FormOriginal, FormCopy or FormElectronic
	Copies    int    `json:"copies"`     // 份数; 0 only for electronic material
	Source    string `json:"source"`     // SourceApplicant, SourceLicense, SourceDepartment or SourcePlatform
	SourceRef string `json:"source_ref"` // certificate name, department code or 一企一档 field, by source
	Note      string `json:"note"`
}

// FormField is one field of a matter's (or bundle's) online application form.
type FormField struct {
	Name     string   `json:"name"`
	LabelZh  string   `json:"label_zh"`
	LabelEn  string   `json:"label_en"`
	Type     string   `json:"type"` // text, number, date or select
	Required bool     `json:"required"`
	Options  []string `json:"options,omitempty"`
	// Prefill names the 一企一档 field that fills the value in, one of
	// PrefillFields, or "" when the applicant types it.
	Prefill string `json:"prefill"`
}

// Department is a district department as the departments table holds it.
type Department struct {
	Code       string
	Name       string
	NameEn     string
	CreditCode string
	Phone      string
	Address    string
	Sort       int
}

// MatterInput is every editable element of a matter, for Create, Update
// and imports. Labels are accepted where codes are expected (事项类型
// "行政许可" for "permit", 办件类型 "即办件" for "instant" …) and normalised.
type MatterInput struct {
	Code               string
	BasicCode          string
	Name               string
	NameEn             string
	Type               string
	DepartmentCode     string
	ExerciseLevel      string
	LegalBasis         string
	LegalLimitDays     int
	CommittedLimitDays int
	LimitNote          string
	// CaseType may be left empty: it is then derived from the committed
	// limit (0 days: instant, otherwise promise).
	CaseType         string
	Visits           int
	OnlineDepth      int
	MailDelivery     bool
	FeeBasis         string
	FeeFen           *int64 // nil or 0: free of charge
	AcceptConditions string
	Process          string
	Location         string
	Hours            string
	ConsultPhone     string
	ComplaintPhone   string
	ResultName       string
	Events           []string
	FormFields       []FormField
	Materials        []Material // Seq is ignored and reassigned from the order
	ChangeNote       string
}

// Input returns the elements of v as an input, for an edit that starts from
// the current version.
func (v Version) Input(code, basicCode string) MatterInput {
	return MatterInput{
		Code: code, BasicCode: basicCode, Name: v.Name, NameEn: v.NameEn, Type: v.Type,
		DepartmentCode: v.DepartmentCode, ExerciseLevel: v.ExerciseLevel, LegalBasis: v.LegalBasis,
		LegalLimitDays: v.LegalLimitDays, CommittedLimitDays: v.CommittedLimitDays, LimitNote: v.LimitNote,
		CaseType: v.CaseType, Visits: v.Visits, OnlineDepth: v.OnlineDepth, MailDelivery: v.MailDelivery,
		FeeBasis: v.FeeBasis, FeeFen: clonePtr(v.FeeFen), AcceptConditions: v.AcceptConditions, Process: v.Process,
		Location: v.Location, Hours: v.Hours, ConsultPhone: v.ConsultPhone, ComplaintPhone: v.ComplaintPhone,
		ResultName: v.ResultName, Events: append([]string(nil), v.Events...),
		FormFields: cloneFields(v.FormFields), Materials: append([]Material(nil), v.Materials...),
	}
}

// Input returns the matter's current elements as an input.
func (m Matter) Input() MatterInput { return m.Current.Input(m.Code, m.BasicCode) }

func clonePtr(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneFields(fs []FormField) []FormField {
	out := make([]FormField, len(fs))
	for i, f := range fs {
		f.Options = append([]string(nil), f.Options...)
		out[i] = f
	}
	return out
}
