package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
)

// Input is a policy definition in the agreed JSON shape: what POST
// /api/v1/policies takes, what the editor posts and what the demo data
// holds. Money is yuan, dates YYYY-MM-DD.
type Input struct {
	Code         string           `json:"code"` // stable ASCII slug shared by every version
	Title        string           `json:"title"`
	TitleEn      string           `json:"title_en"`
	DocumentNo   string           `json:"document_no"` // 文号
	Issuer       string           `json:"issuer"`
	Level        Level            `json:"level"`
	Shelf        Shelf            `json:"shelf"`
	Mode         Mode             `json:"mode"`
	Department   string           `json:"department_code"` // responsible department (首问负责)
	ContactName  string           `json:"contact_name"`
	ContactPhone string           `json:"contact_phone"`
	ValidFrom    string           `json:"valid_from"`
	ValidTo      string           `json:"valid_to"` // "" when open-ended
	Summary      string           `json:"summary"`
	FullText     string           `json:"full_text"`
	Keywords     string           `json:"keywords"` // space-separated search words
	Guide        Guide            `json:"guide"`
	Benefit      Benefit          `json:"benefit"`
	Materials    []Material       `json:"materials"`
	Conditions   eligibility.Node `json:"conditions"`
	Tests        []TestCase       `json:"tests"`
}

// Guide is the 申兑指南.
type Guide struct {
	Beneficiaries string `json:"beneficiaries"`   // 惠及对象
	Conditions    string `json:"conditions"`      // 申报条件, in prose
	TimeLimitDays int    `json:"time_limit_days"` // 兑现时限, working days from submission
	Address       string `json:"address"`         // 受理地址
	Phone         string `json:"phone"`           // 咨询电话
}

// Benefit is what an eligible firm gets.
type Benefit struct {
	Kind    BenefitKind `json:"kind"`
	Amount  money.Yuan  `json:"amount_yuan"` // kind fixed
	Formula string      `json:"formula"`     // kind formula: over attributes in external units, result in yuan
	Cap     money.Yuan  `json:"cap_yuan"`    // optional upper limit per firm and period
	Period  Period      `json:"period"`
	// Saving marks the amount as an estimated tax or fee saving that the
	// firm realises itself (in its tax return, on its bill): the platform
	// shows it but never pays it, lists it in no run and counts it in no
	// money paid.
	Saving      bool   `json:"saving,omitempty"`
	Description string `json:"description"`
}

// Pays reports whether the platform disburses the benefit's amount: a
// fixed or formula amount that is not a saving.
func (b Benefit) Pays() bool { return b.Kind != BenefitNone && !b.Saving }

// Material is a document the policy needs. Source "profile" means the
// platform already holds it (一企一档) and never asks for it.
type Material struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Source   string `json:"source"` // applicant or profile
}

// TestCase is a policy's own test (as in OpenFisca's YAML tests): a profile
// in external units and the outcome, and optionally the benefit, it must
// give. Tests run on every save and before publishing.
type TestCase struct {
	Name    string              `json:"name"`
	AsOf    string              `json:"as_of"`
	Profile map[string]any      `json:"profile"`
	Expect  eligibility.Outcome `json:"expect"`
	Benefit money.Yuan          `json:"benefit_yuan"` // checked when present
}

// TestResult is one test's outcome.
type TestResult struct {
	Name    string              `json:"name"`
	Passed  bool                `json:"passed"`
	Expect  eligibility.Outcome `json:"expect"`
	Got     eligibility.Outcome `json:"got"`
	Benefit *money.Yuan         `json:"benefit_yuan,omitempty"` // computed, when expected
	Message i18n.Msg            `json:"message"`                // why it failed (or "通过")
	Result  eligibility.Result  `json:"-"`                      // the explanation
}

// DecodeInput reads a definition, refusing unknown fields so that a typo
// in the JSON is an error rather than a silently ignored key.
func DecodeInput(r io.Reader) (Input, error) {
	var in Input
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&in); err != nil {
		return Input{}, errs.Invalid("body", i18n.M("政策定义不是有效的 JSON："+err.Error(), "the policy definition is not valid JSON: "+err.Error()))
	}
	return in, nil
}

// ParseInput decodes a definition from bytes (see DecodeInput).
func ParseInput(b []byte) (Input, error) { return DecodeInput(bytes.NewReader(b)) }

var codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$`)

// compiled is a checked definition.
type compiled struct {
	rule    *eligibility.Rule
	formula *eligibility.Formula
}

// normalise trims the text fields.
func (in *Input) normalise() {
	for _, p := range []*string{&in.Code, &in.Title, &in.TitleEn, &in.DocumentNo, &in.Issuer, &in.Department, &in.ContactName,
		&in.ContactPhone, &in.ValidFrom, &in.ValidTo, &in.Summary, &in.Keywords, &in.Guide.Beneficiaries, &in.Guide.Conditions,
		&in.Guide.Address, &in.Guide.Phone, &in.Benefit.Formula, &in.Benefit.Description} {
		*p = strings.TrimSpace(*p)
	}
	in.Code = strings.ToLower(in.Code)
	in.Department = strings.ToUpper(in.Department)
	for i := range in.Materials {
		in.Materials[i].Name = strings.TrimSpace(in.Materials[i].Name)
		in.Materials[i].Source = strings.TrimSpace(in.Materials[i].Source)
	}
}

// Validate checks every field at once and runs the policy's own tests. It
// returns an errs.ErrInvalid naming each bad field ("title",
// "conditions.all[2].value", "benefit.formula", "tests[1]" …); a failing
// test names what it expected, what it got and why. Whether the department
// exists is checked by the service.
func (in *Input) Validate() error {
	_, err := in.compile()
	return err
}

func (in *Input) compile() (compiled, error) {
	in.normalise()
	f := errs.Fields{}
	req := func(field, val string, zh, en string) {
		if val == "" {
			f.Add(field, i18n.M("请填写"+zh, en+" is required"))
		}
	}
	if !codePattern.MatchString(in.Code) {
		f.Add("code", i18n.M("编码须为 3–64 位小写字母、数字或连字符，如 xwqy-sds-2023",
			"the code is 3–64 lower-case letters, digits or hyphens, e.g. xwqy-sds-2023"))
	}
	req("title", in.Title, "政策名称", "The title")
	if utf8.RuneCountInString(in.Title) > 200 {
		f.Add("title", i18n.M("政策名称不超过 200 字", "The title is at most 200 characters"))
	}
	req("document_no", in.DocumentNo, "文号", "The document number")
	req("issuer", in.Issuer, "发文机关", "The issuer")
	if !has(Levels, string(in.Level)) {
		f.Add("level", i18n.M("层级须为国家、市级或区级", "The level is national, municipal or district"))
	}
	if !has(Shelves, string(in.Shelf)) {
		f.Add("shelf", i18n.M("请选择政策类别", "Choose a shelf"))
	}
	if !has(Modes, string(in.Mode)) {
		f.Add("mode", i18n.M("兑现方式须为申报兑现、免申即享或快申快享", "The mode is apply, no_apply or fast"))
	}
	req("department_code", in.Department, "责任部门", "The responsible department")
	req("valid_from", in.ValidFrom, "有效期起始日", "The start of validity")
	if in.ValidFrom != "" && !isDate(in.ValidFrom) {
		f.Add("valid_from", i18n.M("日期格式须为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
	}
	if in.ValidTo != "" {
		if !isDate(in.ValidTo) {
			f.Add("valid_to", i18n.M("日期格式须为 YYYY-MM-DD", "Dates are written YYYY-MM-DD"))
		} else if isDate(in.ValidFrom) && in.ValidTo < in.ValidFrom {
			f.Add("valid_to", i18n.M("有效期截止日早于起始日", "Validity ends before it starts"))
		}
	}
	req("summary", in.Summary, "政策摘要", "The summary")
	if in.Guide.TimeLimitDays < 0 || in.Guide.TimeLimitDays > 365 {
		f.Add("guide.time_limit_days", i18n.M("兑现时限为 0–365 个工作日（0 表示按默认时限）", "The time limit is 0–365 working days (0: the default)"))
	}
	var c compiled
	c.formula = in.checkBenefit(f)
	for i, m := range in.Materials {
		if m.Name == "" {
			f.Add(fmt.Sprintf("materials[%d].name", i), i18n.M("请填写材料名称", "Name the material"))
		}
		if !has(MaterialSources, m.Source) {
			f.Add(fmt.Sprintf("materials[%d].source", i), i18n.M("材料来源须为 applicant（申请人提供）或 profile（平台已有）",
				"The source is applicant or profile"))
		}
		// 快申快享 rests on what the platform already holds: the firm
		// confirms a prefilled application and uploads nothing it must.
		if in.Mode == ModeFast && m.Required && m.Source == "applicant" {
			f.Add(fmt.Sprintf("materials[%d].source", i), i18n.M(
				"快申快享政策不能要求申请人提供必需材料：“"+m.Name+"”须改为平台已有（一企一档），或设为非必需，或将兑现方式改为申报兑现",
				"A fast-track policy cannot require the applicant to provide a material: make “"+m.Name+"” held by the platform (registry) or optional, or use the apply mode"))
		}
	}
	rule, err := eligibility.Compile(eligibility.Default, in.Conditions, "conditions")
	if err != nil {
		for k, v := range errs.FieldsOf(err) {
			f.Add(k, v)
		}
	} else {
		c.rule = rule
	}
	if err := f.Err(); err != nil {
		return compiled{}, err
	}
	v := Version{Input: *in, rule: c.rule, formula: c.formula}
	for i, r := range runTests(&v) {
		if !r.Passed {
			f.Add(fmt.Sprintf("tests[%d]", i), r.Message)
		}
	}
	return c, f.Err()
}

// checkBenefit validates the benefit and compiles its formula.
func (in *Input) checkBenefit(f errs.Fields) *eligibility.Formula {
	b := &in.Benefit
	if !has(Periods, string(b.Period)) {
		f.Add("benefit.period", i18n.M("兑现周期须为 once、year、quarter 或 month", "The period is once, year, quarter or month"))
	}
	if b.Cap.Valid && b.Cap.Fen <= 0 {
		f.Add("benefit.cap_yuan", i18n.M("上限须大于 0", "The cap must be more than 0"))
	}
	switch b.Kind {
	case BenefitFixed:
		if !b.Amount.Valid || b.Amount.Fen <= 0 {
			f.Add("benefit.amount_yuan", i18n.M("固定金额须大于 0 元", "A fixed amount must be more than 0 yuan"))
		}
	case BenefitFormula:
		if b.Formula == "" {
			f.Add("benefit.formula", i18n.M("请填写计算公式", "The formula is required"))
			return nil
		}
		fm, err := eligibility.CompileFormula(eligibility.Default, b.Formula, "benefit.formula")
		if err != nil {
			for k, v := range errs.FieldsOf(err) {
				f.Add(k, v)
			}
			return nil
		}
		return fm
	case BenefitNone:
		if b.Saving {
			f.Add("benefit.saving", i18n.M("减免估算须有固定金额或计算公式", "A saving needs a fixed amount or a formula to estimate it"))
		}
	default:
		f.Add("benefit.kind", i18n.M("兑现方式须为 fixed、formula 或 none", "The benefit kind is fixed, formula or none"))
	}
	return nil
}

// runTests evaluates a compiled version's own tests.
func runTests(v *Version) []TestResult {
	out := make([]TestResult, 0, len(v.Tests))
	for i, tc := range v.Tests {
		field := fmt.Sprintf("tests[%d].profile", i)
		r := TestResult{Name: tc.Name, Expect: tc.Expect}
		if tc.Expect != eligibility.Eligible && tc.Expect != eligibility.Ineligible && tc.Expect != eligibility.Unknown {
			r.Message = i18n.M("预期结果须为 eligible、ineligible 或 unknown", "expect must be eligible, ineligible or unknown")
			out = append(out, r)
			continue
		}
		asOf := tc.AsOf
		if asOf == "" {
			asOf = v.ValidFrom
		}
		if !isDate(asOf) {
			r.Message = i18n.M("测试日期格式须为 YYYY-MM-DD", "as_of is written YYYY-MM-DD")
			out = append(out, r)
			continue
		}
		p, err := eligibility.ProfileOf(eligibility.Default, asOf, tc.Profile, field)
		if err != nil {
			var zh, en []string
			for k, m := range errs.FieldsOf(err) {
				zh = append(zh, k+"："+m.Zh)
				en = append(en, k+": "+m.En)
			}
			r.Message = i18n.M("测试画像有误："+strings.Join(zh, "；"), "the test profile is invalid: "+strings.Join(en, "; "))
			out = append(out, r)
			continue
		}
		r.Result = v.rule.Evaluate(p)
		r.Got = r.Result.Outcome
		r.Passed = r.Got == tc.Expect
		if !r.Passed {
			r.Message = i18n.M(
				fmt.Sprintf("测试“%s”预期 %s，实际 %s：%s", tc.Name, outcomeLabel(tc.Expect).Zh, outcomeLabel(r.Got).Zh, explain(r.Result).Zh),
				fmt.Sprintf("test “%s” expected %s but got %s: %s", tc.Name, tc.Expect, r.Got, explain(r.Result).En))
		}
		if r.Passed && tc.Benefit.Valid {
			fen, missing, ok := v.Entitlement(p)
			got := money.Yuan{Fen: fen, Valid: ok}
			r.Benefit = &got
			if !ok || fen != tc.Benefit.Fen {
				r.Passed = false
				gotZh, gotEn := money.FormatYuan(fen)+" 元", money.FormatYuan(fen)+" yuan"
				if !ok {
					gotZh, gotEn = "无法计算（缺少 "+strings.Join(missing, "、")+"）", "not computable (missing "+strings.Join(missing, ", ")+")"
				}
				r.Message = i18n.M(
					fmt.Sprintf("测试“%s”预期兑现金额 %s 元，实际 %s", tc.Name, money.FormatYuan(tc.Benefit.Fen), gotZh),
					fmt.Sprintf("test “%s” expected a benefit of %s yuan but got %s", tc.Name, money.FormatYuan(tc.Benefit.Fen), gotEn))
			}
		}
		if r.Passed {
			r.Message = i18n.M("通过", "passed")
		}
		out = append(out, r)
	}
	return out
}

// explain joins the explanation of the checks that decided the outcome.
func explain(r eligibility.Result) i18n.Msg {
	var zh, en []string
	for _, c := range r.Checks {
		zh = append(zh, c.Text.Zh)
		en = append(en, c.Text.En)
	}
	if len(r.Missing) > 0 {
		zh = append(zh, "缺少："+strings.Join(r.Missing, "、"))
		en = append(en, "missing: "+strings.Join(r.Missing, ", "))
	}
	if len(zh) == 0 {
		return i18n.M("无条件", "no conditions")
	}
	return i18n.M(strings.Join(zh, "；"), strings.Join(en, "; "))
}

// OutcomeLabel names an eligibility outcome for people.
func OutcomeLabel(o eligibility.Outcome) i18n.Msg { return outcomeLabel(o) }

func outcomeLabel(o eligibility.Outcome) i18n.Msg {
	switch o {
	case eligibility.Eligible:
		return i18n.M("符合", "eligible")
	case eligibility.Ineligible:
		return i18n.M("不符合", "ineligible")
	case eligibility.Unknown:
		return i18n.M("待补充信息", "unknown")
	}
	return i18n.M(string(o), string(o))
}

func isDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
