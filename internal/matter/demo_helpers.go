package matter

// Building blocks of the demo catalogue: materials by source and the form
// fields most applications share.

// own is a required paper original the applicant hands in.
func own(name string) Material {
	return Material{Name: name, Required: true, Form: FormOriginal, Copies: 1, Source: SourceApplicant}
}

// ownCopy is a required photocopy from the applicant.
func ownCopy(name string) Material {
	return Material{Name: name, Required: true, Form: FormCopy, Copies: 1, Source: SourceApplicant}
}

// ownIf is a material the applicant hands in only in the case the note names.
func ownIf(name, note string) Material {
	return Material{Name: name, Form: FormOriginal, Copies: 1, Source: SourceApplicant, Note: note}
}

// online is a required document the applicant fills in or uploads online.
func online(name string) Material {
	return Material{Name: name, Required: true, Form: FormElectronic, Source: SourceApplicant}
}

// lic is a required certificate shared from the e-licence library.
func lic(name, cert string) Material {
	return Material{Name: name, Required: true, Form: FormElectronic, Source: SourceLicense, SourceRef: cert}
}

// fromDept is a required document another department issues and shares.
func fromDept(name, dep string) Material {
	return Material{Name: name, Required: true, Form: FormElectronic, Source: SourceDepartment, SourceRef: dep}
}

// fromProfile is a required item the platform fills from 一企一档.
func fromProfile(name, field string) Material {
	return Material{Name: name, Required: true, Form: FormElectronic, Source: SourcePlatform, SourceRef: field}
}

// Materials that many matters share, named the same everywhere so that a
// bundle lists them once.
var (
	matLicense  = lic("营业执照", "营业执照")
	matRepID    = lic("法定代表人身份证", "居民身份证")
	matAgentID  = lic("经办人身份证", "居民身份证")
	matProfile  = fromProfile("企业基本信息（一企一档）", ProfileRef)
	matProxy    = ownIf("授权委托书", "委托他人办理的提供")
	matSeal     = fromDept("公章印模", depGAFJ)
	matPremises = ownIf("经营场所使用证明", "场所产权已登记的，通过不动产登记信息共享，无需提供")
)

// withCommon prepends the materials every enterprise application carries:
// the business licence and the agent's identity (both shared) and, when an
// agent acts, the power of attorney.
func withCommon(ms ...Material) []Material {
	return append([]Material{matLicense, matAgentID, matProxy}, ms...)
}

func txt(name, zh, en string, required bool) FormField {
	return FormField{Name: name, LabelZh: zh, LabelEn: en, Type: "text", Required: required}
}

func num(name, zh, en string, required bool) FormField {
	return FormField{Name: name, LabelZh: zh, LabelEn: en, Type: "number", Required: required}
}

func day(name, zh, en string, required bool) FormField {
	return FormField{Name: name, LabelZh: zh, LabelEn: en, Type: "date", Required: required}
}

func sel(name, zh, en string, options ...string) FormField {
	return FormField{Name: name, LabelZh: zh, LabelEn: en, Type: "select", Required: true, Options: options}
}

func prefilled(f FormField, from string) FormField {
	f.Prefill = from
	return f
}

// Form fields filled in from 一企一档.
var (
	ffName     = prefilled(txt("enterprise_name", "企业名称", "Enterprise name", true), "name")
	ffCredit   = prefilled(txt("credit_code", "统一社会信用代码", "Unified social credit code", true), "credit_code")
	ffLegalRep = prefilled(txt("legal_rep", "法定代表人", "Legal representative", true), "legal_rep")
	ffAddress  = prefilled(txt("address", "住所", "Address", true), "address")
	ffContact  = prefilled(txt("contact_name", "联系人", "Contact person", true), "contact_name")
	ffPhone    = prefilled(txt("contact_phone", "联系电话", "Contact phone", true), "contact_phone")
	ffCapital  = prefilled(num("registered_capital_yuan", "注册资本（元）", "Registered capital (yuan)", false), "registered_capital_yuan")
	ffScope    = prefilled(txt("business_scope", "经营范围", "Business scope", false), "business_scope")
)

// form is the usual application form: who applies (prefilled) and how to
// reach them, then the matter's own fields.
func form(extra ...FormField) []FormField {
	return append([]FormField{ffName, ffCredit, ffLegalRep, ffContact, ffPhone}, extra...)
}

func fen(yuan int64) *int64 { v := yuan * 100; return &v }

func ev(codes ...string) []string { return codes }
