package api

import (
	"net/http"
	"time"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// The policy supermarket as the API speaks it: a policy's definition in
// the agreed shape (money in yuan, dates YYYY-MM-DD), codes with their
// names in the request's language beside them, times RFC 3339 in UTC.

// policyJSON is one policy with the version shown and its versions.
type policyJSON struct {
	ID               int64                `json:"id"`
	Code             string               `json:"code"`
	Status           string               `json:"status"`
	StatusName       string               `json:"status_name"`
	LatestVersion    int                  `json:"latest_version"`
	PublishedVersion int                  `json:"published_version"`
	HasDraft         bool                 `json:"has_draft"`
	Rev              int                  `json:"rev"`
	LevelName        string               `json:"level_name"`
	ShelfName        string               `json:"shelf_name"`
	ModeName         string               `json:"mode_name"`
	Current          policy.Version       `json:"current"`
	Versions         []versionSummaryJSON `json:"versions"`
	Tests            []testResultJSON     `json:"test_results,omitempty"` // after a save: the policy's own tests
	CreatedAt        time.Time            `json:"created_at"`
	UpdatedAt        time.Time            `json:"updated_at"`
}

type versionSummaryJSON struct {
	Number        int        `json:"number"`
	State         string     `json:"state"`
	EffectiveFrom string     `json:"effective_from,omitempty"`
	ValidFrom     string     `json:"valid_from"`
	ValidTo       string     `json:"valid_to"`
	Title         string     `json:"title"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     string     `json:"created_by"`
	PublishedAt   *time.Time `json:"published_at,omitempty"`
	PublishedBy   string     `json:"published_by,omitempty"`
}

type testResultJSON struct {
	Name    string     `json:"name"`
	Passed  bool       `json:"passed"`
	Expect  string     `json:"expect"`
	Got     string     `json:"got"`
	Benefit money.Yuan `json:"benefit_yuan"`
	Message string     `json:"message"`
}

func testResultsJSON(rs []policy.TestResult, lang i18n.Lang) []testResultJSON {
	out := []testResultJSON{}
	for _, t := range rs {
		j := testResultJSON{Name: t.Name, Passed: t.Passed, Expect: string(t.Expect), Got: string(t.Got), Message: t.Message.In(lang)}
		if t.Benefit != nil {
			j.Benefit = *t.Benefit
		}
		out = append(out, j)
	}
	return out
}

// policyOut renders a policy with the versions the caller may see.
func (s *Server) policyOut(r *http.Request, p policy.Policy) (policyJSON, error) {
	lang := httpmw.Lang(r)
	vs, err := s.Policy.Versions(r.Context(), p.ID)
	if err != nil {
		return policyJSON{}, err
	}
	v := p.Current
	out := policyJSON{ID: p.ID, Code: p.Code, Status: string(p.Status), StatusName: policy.Label(policy.Statuses, string(p.Status)).In(lang),
		LatestVersion: p.Latest, PublishedVersion: p.Published, HasDraft: p.HasDraft(), Rev: p.Rev,
		LevelName: policy.Label(policy.Levels, string(v.Level)).In(lang), ShelfName: policy.Label(policy.Shelves, string(v.Shelf)).In(lang),
		ModeName: policy.Label(policy.Modes, string(v.Mode)).In(lang), Current: v, Versions: []versionSummaryJSON{},
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if out.Current.Materials == nil {
		out.Current.Materials = []policy.Material{}
	}
	if out.Current.Tests == nil {
		out.Current.Tests = []policy.TestCase{}
	}
	for _, x := range vs {
		out.Versions = append(out.Versions, versionSummaryJSON{Number: x.Number, State: string(x.State), EffectiveFrom: x.EffectiveFrom,
			ValidFrom: x.ValidFrom, ValidTo: x.ValidTo, Title: x.Title, CreatedAt: x.CreatedAt, CreatedBy: x.CreatedBy,
			PublishedAt: x.PublishedAt, PublishedBy: x.PublishedBy})
	}
	return out, nil
}

// policySummaryJSON is a policy in a list.
type policySummaryJSON struct {
	ID                 int64      `json:"id"`
	Code               string     `json:"code"`
	Status             string     `json:"status"`
	StatusName         string     `json:"status_name"`
	Version            int        `json:"version"`
	Title              string     `json:"title"`
	TitleEn            string     `json:"title_en"`
	DocumentNo         string     `json:"document_no"`
	Issuer             string     `json:"issuer"`
	Level              string     `json:"level"`
	LevelName          string     `json:"level_name"`
	Shelf              string     `json:"shelf"`
	ShelfName          string     `json:"shelf_name"`
	Mode               string     `json:"mode"`
	ModeName           string     `json:"mode_name"`
	DepartmentCode     string     `json:"department_code"`
	ValidFrom          string     `json:"valid_from"`
	ValidTo            string     `json:"valid_to"`
	Summary            string     `json:"summary"`
	BenefitKind        string     `json:"benefit_kind"`
	BenefitAmount      money.Yuan `json:"benefit_amount_yuan"`
	BenefitCap         money.Yuan `json:"benefit_cap_yuan"`
	BenefitDescription string     `json:"benefit_description"`
	Score              *float64   `json:"score,omitempty"`
}

func policySummaryOf(p policy.Policy, lang i18n.Lang) policySummaryJSON {
	v := p.Current
	return policySummaryJSON{ID: p.ID, Code: p.Code, Status: string(p.Status), StatusName: policy.Label(policy.Statuses, string(p.Status)).In(lang),
		Version: v.Number, Title: v.Title, TitleEn: v.TitleEn, DocumentNo: v.DocumentNo, Issuer: v.Issuer,
		Level: string(v.Level), LevelName: policy.Label(policy.Levels, string(v.Level)).In(lang),
		Shelf: string(v.Shelf), ShelfName: policy.Label(policy.Shelves, string(v.Shelf)).In(lang),
		Mode: string(v.Mode), ModeName: policy.Label(policy.Modes, string(v.Mode)).In(lang),
		DepartmentCode: v.Department, ValidFrom: v.ValidFrom, ValidTo: v.ValidTo, Summary: v.Summary,
		BenefitKind: string(v.Benefit.Kind), BenefitAmount: v.Benefit.Amount, BenefitCap: v.Benefit.Cap, BenefitDescription: v.Benefit.Description}
}

// conditionJSON explains one condition of a rule for one enterprise:
// the attribute, the operator, the value the comparison tests (money in
// yuan), the enterprise's value (null when unknown) and the comparison's
// result. A comparison under an odd number of "not" is negated: the rule
// wants it not met, so Satisfied (result met xor negated; null when the
// result is unknown) is what says whether the enterprise passes it, and
// Text says the same in a sentence in the request's language.
type conditionJSON struct {
	Attr      string `json:"attr"`
	Op        string `json:"op"`
	Value     any    `json:"value"`
	Actual    any    `json:"actual"`
	Result    string `json:"result"`
	Negated   bool   `json:"negated"`
	Path      string `json:"path"`
	Satisfied *bool  `json:"satisfied"`
	Text      string `json:"text"`
}

func conditionsOf(checks []eligibility.Check, lang i18n.Lang) []conditionJSON {
	out := make([]conditionJSON, 0, len(checks))
	for _, c := range checks {
		j := conditionJSON{Attr: c.Attr, Op: string(c.Op), Value: c.Value, Actual: c.Actual, Result: string(c.Result),
			Negated: c.Negated, Path: c.Path, Text: c.Text.In(lang)}
		if c.Result != eligibility.TruthUnknown {
			ok := (c.Result == eligibility.Met) != c.Negated
			j.Satisfied = &ok
		}
		out = append(out, j)
	}
	return out
}

func missingOf(r eligibility.Result) []string {
	if r.Missing == nil {
		return []string{}
	}
	return r.Missing
}

// matchJSON is one policy's result for one enterprise, exactly as
// GET /api/v1/enterprises/{id}/policy-matches promises it.
type matchJSON struct {
	PolicyID             int64           `json:"policy_id"`
	Title                string          `json:"title"`
	Result               string          `json:"result"`
	Conditions           []conditionJSON `json:"conditions"`
	Missing              []string        `json:"missing"`
	EstimatedBenefitYuan money.Yuan      `json:"estimated_benefit_yuan"`
	// BenefitIsSaving says the estimate is a tax or fee saving the firm
	// realises in its own return, never money the platform pays.
	BenefitIsSaving bool `json:"benefit_is_saving"`
}

func matchesJSON(ms []policy.Match, lang i18n.Lang) []matchJSON {
	out := make([]matchJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, matchJSON{PolicyID: m.Policy.ID, Title: m.Policy.Current.Title, Result: string(m.Result.Outcome),
			Conditions: conditionsOf(m.Result.Checks, lang), Missing: missingOf(m.Result), EstimatedBenefitYuan: money.YuanOf(m.EstimatedBenefitFen),
			BenefitIsSaving: m.Saving})
	}
	return out
}

// evaluationJSON is an evaluation kept with an application.
type evaluationJSON struct {
	Result     string          `json:"result"`
	AsOf       string          `json:"as_of"`
	Conditions []conditionJSON `json:"conditions"`
	Missing    []string        `json:"missing"`
	// Explanation is one sentence per condition, in the request's language.
	Explanation []string `json:"explanation"`
}

func evaluationOf(r eligibility.Result, lang i18n.Lang) evaluationJSON {
	out := evaluationJSON{Result: string(r.Outcome), AsOf: r.AsOf, Conditions: conditionsOf(r.Checks, lang), Missing: missingOf(r), Explanation: []string{}}
	for _, c := range r.Checks {
		out.Explanation = append(out.Explanation, c.Text.In(lang))
	}
	return out
}

// simulationJSON is what a rule reaches and costs.
type simulationJSON struct {
	AsOf                string     `json:"as_of"`
	Eligible            int        `json:"eligible"`
	Ineligible          int        `json:"ineligible"`
	Unknown             int        `json:"unknown"`
	EstimatedPayoutYuan money.Yuan `json:"estimated_payout_yuan"`
	PayoutUnknown       int        `json:"payout_unknown"`
	// BenefitIsSaving says the estimate is tax or fee revenue forgone, not
	// money paid out.
	BenefitIsSaving bool         `json:"benefit_is_saving"`
	ByStreet        []bucketJSON `json:"by_street"`
	ByIndustry      []bucketJSON `json:"by_industry"`
	BySize          []bucketJSON `json:"by_size"`
	Sample          []sampleJSON `json:"sample"`
}

type bucketJSON struct {
	Key        string     `json:"key"`
	Name       string     `json:"name"`
	Eligible   int        `json:"eligible"`
	Unknown    int        `json:"unknown"`
	PayoutYuan money.Yuan `json:"payout_yuan"`
}

type sampleJSON struct {
	EnterpriseID int64      `json:"enterprise_id"`
	Name         string     `json:"name"`
	AmountYuan   money.Yuan `json:"amount_yuan"`
}

func simulationJSONOf(sim policy.Simulation, lang i18n.Lang) simulationJSON {
	bs := func(in []policy.Bucket) []bucketJSON {
		out := make([]bucketJSON, 0, len(in))
		for _, b := range in {
			out = append(out, bucketJSON{Key: b.Key, Name: b.Label.In(lang), Eligible: b.Eligible, Unknown: b.Unknown,
				PayoutYuan: money.Yuan{Fen: b.PayoutFen, Valid: true}})
		}
		return out
	}
	out := simulationJSON{AsOf: sim.AsOf, Eligible: sim.Eligible, Ineligible: sim.Ineligible, Unknown: sim.Unknown,
		EstimatedPayoutYuan: money.Yuan{Fen: sim.EstimatedPayoutFen, Valid: true}, PayoutUnknown: sim.PayoutUnknown,
		BenefitIsSaving: sim.Saving,
		ByStreet:        bs(sim.ByStreet), ByIndustry: bs(sim.ByIndustry), BySize: bs(sim.BySize), Sample: []sampleJSON{}}
	for _, f := range sim.Sample {
		out.Sample = append(out.Sample, sampleJSON{EnterpriseID: f.EnterpriseID, Name: f.Name, AmountYuan: money.YuanOf(f.AmountFen)})
	}
	return out
}

// applyFormJSON is the prefilled application form.
type applyFormJSON struct {
	Policy       policySummaryJSON    `json:"policy"`
	Fields       []formFieldJSON      `json:"fields"`
	Materials    []policyMaterialJSON `json:"materials"`
	Eligibility  evaluationJSON       `json:"eligibility"`
	EntitledYuan money.Yuan           `json:"entitled_yuan"`
	Period       string               `json:"period"`
}

type formFieldJSON struct {
	Name  string `json:"name"`
	Label string `json:"label"`
	Value string `json:"value"`
}

// policyMaterialJSON is one material of an application. Asked says whether the
// applicant must upload it: materials the platform holds are never asked.
type policyMaterialJSON struct {
	Seq      int    `json:"seq"`
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Source   string `json:"source"`
	Asked    bool   `json:"asked"`
	FileID   string `json:"file_id,omitempty"`
}

func policyMaterialsJSON(ms []policy.AppMaterial) []policyMaterialJSON {
	out := make([]policyMaterialJSON, 0, len(ms))
	for _, m := range ms {
		out = append(out, policyMaterialJSON{Seq: m.Seq, Name: m.Name, Required: m.Required, Source: m.Source, Asked: m.Source != "profile", FileID: m.FileID})
	}
	return out
}

func applyFormJSONOf(f policy.ApplyForm, lang i18n.Lang) applyFormJSON {
	out := applyFormJSON{Policy: policySummaryOf(f.Policy, lang), Fields: []formFieldJSON{}, Materials: policyMaterialsJSON(f.Materials),
		Eligibility: evaluationOf(f.Result, lang), EntitledYuan: money.YuanOf(f.EntitledFen), Period: f.Period}
	for _, fl := range f.Fields {
		out.Fields = append(out.Fields, formFieldJSON{Name: fl.Name, Label: fl.Label.In(lang), Value: fl.Value})
	}
	return out
}
