package seed

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sync"
)

// policyFiles are the policies of the demo 政策超市, one JSON file each, in
// the shape POST /api/v1/policies takes. National and municipal policies
// carry their real document numbers and dates; district (北碚区) ones are
// demonstration data and say so in their summary.
//
//go:embed data/policies/*.json
var policyFiles embed.FS

// DemoPolicy is one demo policy: the definition exactly as the file holds it
// (Raw, for the policy service and the API) and a typed view of it.
type DemoPolicy struct {
	File string          // file name under data/policies
	Raw  json.RawMessage // the whole definition, tests included
	PolicyDef
}

// PolicyDef is the typed view of a policy definition. Money is yuan, as in
// the API; numbers keep their written form (json.Number) so that amounts
// such as 3000000.01 stay exact.
type PolicyDef struct {
	Code           string           `json:"code"`
	Title          string           `json:"title"`
	TitleEn        string           `json:"title_en"`
	DocumentNo     string           `json:"document_no"`
	Issuer         string           `json:"issuer"`
	Level          string           `json:"level"` // national | municipal | district
	Shelf          string           `json:"shelf"`
	Mode           string           `json:"mode"` // apply | no_apply | fast
	DepartmentCode string           `json:"department_code"`
	ContactName    string           `json:"contact_name"`
	ContactPhone   string           `json:"contact_phone"`
	ValidFrom      string           `json:"valid_from"`
	ValidTo        string           `json:"valid_to"` // "" when open-ended
	Summary        string           `json:"summary"`
	FullText       string           `json:"full_text"`
	Keywords       string           `json:"keywords"`
	Guide          PolicyGuide      `json:"guide"`
	Benefit        PolicyBenefit    `json:"benefit"`
	Materials      []PolicyMaterial `json:"materials"`
	Conditions     json.RawMessage  `json:"conditions"`
	Tests          []PolicyTest     `json:"tests"`
}

// PolicyGuide is the 申兑指南.
type PolicyGuide struct {
	Beneficiaries string `json:"beneficiaries"`   // 惠及对象
	Conditions    string `json:"conditions"`      // 申报条件, in prose
	TimeLimitDays int    `json:"time_limit_days"` // 兑现时限, working days
	Address       string `json:"address"`         // 受理地址
	Phone         string `json:"phone"`           // 咨询电话
}

// PolicyBenefit is what an eligible enterprise gets.
type PolicyBenefit struct {
	Kind        string      `json:"kind"` // fixed | formula | none
	AmountYuan  json.Number `json:"amount_yuan,omitempty"`
	Formula     string      `json:"formula,omitempty"`
	CapYuan     json.Number `json:"cap_yuan,omitempty"`
	Period      string      `json:"period"`           // once | year | quarter | month
	Saving      bool        `json:"saving,omitempty"` // the amount is an estimated tax or fee saving, never paid
	Description string      `json:"description"`
}

// PolicyMaterial is one item an application needs. Source "profile" means
// the platform already holds it and never asks for it.
type PolicyMaterial struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Source   string `json:"source"` // applicant | profile
}

// PolicyTest is one of a policy's own test cases: a profile in the units of
// conditions (eligibility.ProfileOf) and the expected outcome, and when
// BenefitYuan is given, the expected benefit.
type PolicyTest struct {
	Name        string         `json:"name"`
	AsOf        string         `json:"as_of"`
	Profile     map[string]any `json:"profile"` // numbers as json.Number
	Expect      string         `json:"expect"`  // eligible | ineligible | unknown
	BenefitYuan *json.Number   `json:"benefit_yuan,omitempty"`
}

// DemoPolicies returns the demo policies in file order. A file that does not
// decode into the agreed shape (an unknown or misspelt field included) is an
// error naming the file.
func DemoPolicies() ([]DemoPolicy, error) { return demoPolicies() }

var demoPolicies = sync.OnceValues(func() ([]DemoPolicy, error) {
	names, err := fs.Glob(policyFiles, "data/policies/*.json")
	if err != nil {
		return nil, err
	}
	out := make([]DemoPolicy, 0, len(names))
	for _, name := range names { // Glob returns names sorted
		raw, err := policyFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		p := DemoPolicy{File: path.Base(name), Raw: json.RawMessage(raw)}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.UseNumber()
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p.PolicyDef); err != nil {
			return nil, fmt.Errorf("demo policy %s: %w", p.File, err)
		}
		if dec.More() {
			return nil, fmt.Errorf("demo policy %s: trailing data after the definition", p.File)
		}
		out = append(out, p)
	}
	return out, nil
})
