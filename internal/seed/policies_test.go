package seed_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/seed"
	"github.com/qinqing/qinqing/internal/standards"
)

var (
	levels  = []string{"national", "municipal", "district"}
	shelves = []string{"subsidy", "tax", "finance", "talent", "tech", "land", "market", "employment", "digital", "startup"}
	modes   = []string{"apply", "no_apply", "fast"}
	periods = []string{"once", "year", "quarter", "month"}

	policyCodeRE = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)+$`)
	landlineRE   = regexp.MustCompile(`^023-6\d{7}$`)
	guidePhoneRE = regexp.MustCompile(`^(023-\d{8}|12333|12366)$`)
	// District documents: 北碚府发〔2025〕6号, 北碚府办发〔2025〕18号, 北碚人社发〔2025〕9号.
	districtDocRE = regexp.MustCompile(`^北碚[\p{Han}]{1,4}发〔20\d\d〕[1-9]\d*号$`)
)

func demoPolicies(t *testing.T) []seed.DemoPolicy {
	t.Helper()
	ps, err := seed.DemoPolicies()
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestDemoPoliciesCatalogue(t *testing.T) {
	ps := demoPolicies(t)

	t.Run("there are at least 30 policies with unique codes and titles", func(t *testing.T) {
		if len(ps) < 30 {
			t.Errorf("%d demo policies, want at least 30", len(ps))
		}
		codes, titles := map[string]string{}, map[string]string{}
		for _, p := range ps {
			if f, dup := codes[p.Code]; dup {
				t.Errorf("code %q in both %s and %s", p.Code, f, p.File)
			}
			codes[p.Code] = p.File
			if f, dup := titles[p.Title]; dup {
				t.Errorf("title %q in both %s and %s", p.Title, f, p.File)
			}
			titles[p.Title] = p.File
		}
	})

	t.Run("every level, shelf and mode is used", func(t *testing.T) {
		used := map[string]int{}
		for _, p := range ps {
			used["level "+p.Level]++
			used["shelf "+p.Shelf]++
			used["mode "+p.Mode]++
		}
		for _, want := range [][]string{levels, shelves, modes} {
			for _, v := range want {
				n := used["level "+v] + used["shelf "+v] + used["mode "+v]
				if n == 0 {
					t.Errorf("no demo policy uses %q", v)
				}
			}
		}
	})

	// The national and Chongqing documents as /work/shared/DOMAIN.md lists
	// them: the rules below must stay encoded with these numbers and dates.
	t.Run("the real documents carry their numbers and dates", func(t *testing.T) {
		want := []struct {
			docNo, level, from, to string
		}{
			{"财政部 税务总局公告2023年第12号", "national", "2023-01-01", "2027-12-31"},
			{"财政部 税务总局公告2026年第10号", "national", "2026-01-01", "2027-12-31"},
			{"财政部 税务总局公告2023年第7号", "national", "2023-01-01", ""},
			{"国科发火〔2016〕32号", "national", "2016-01-01", ""},
			{"国科发政〔2022〕67号", "national", "", ""},
			{"渝人社规〔2025〕11号", "municipal", "", ""},
			{"渝财规〔2022〕11号", "municipal", "", ""},
		}
		for _, w := range want {
			found := 0
			for _, p := range ps {
				if p.DocumentNo != w.docNo {
					continue
				}
				found++
				if p.Level != w.level {
					t.Errorf("%s (%s): level %s, want %s", p.Code, w.docNo, p.Level, w.level)
				}
				if w.from != "" && (p.ValidFrom != w.from || p.ValidTo != w.to) {
					t.Errorf("%s (%s): valid %s…%s, want %s…%s", p.Code, w.docNo, p.ValidFrom, p.ValidTo, w.from, w.to)
				}
			}
			if found == 0 {
				t.Errorf("no demo policy encodes %s", w.docNo)
			}
		}
	})
}

func TestDemoPolicyDefinitions(t *testing.T) {
	deps := map[string]bool{}
	for _, d := range seed.Departments {
		deps[d.Code] = true
	}
	tags := map[string]bool{}
	for _, d := range enterprise.DefaultTags {
		tags[d.Code] = true
	}
	for _, p := range demoPolicies(t) {
		t.Run(p.Code, func(t *testing.T) {
			checkPolicyText(t, p)
			checkPolicyDates(t, p)
			if !deps[p.DepartmentCode] {
				t.Errorf("department %q is not a seed department", p.DepartmentCode)
			}
			checkMaterials(t, p)
			rule, err := eligibility.Parse(eligibility.Default, p.Conditions, "conditions")
			if err != nil {
				t.Fatalf("conditions do not compile: %v", err)
			}
			if rule.Empty() {
				t.Error("a demo policy without conditions matches everyone")
			}
			checkCodes(t, rule, tags)
			checkBenefitShape(t, p)
		})
	}
}

func checkPolicyText(t *testing.T, p seed.DemoPolicy) {
	t.Helper()
	for field, v := range map[string]string{
		"title": p.Title, "title_en": p.TitleEn, "document_no": p.DocumentNo, "issuer": p.Issuer,
		"contact_name": p.ContactName, "summary": p.Summary, "full_text": p.FullText, "keywords": p.Keywords,
		"guide.beneficiaries": p.Guide.Beneficiaries, "guide.conditions": p.Guide.Conditions,
		"guide.address": p.Guide.Address, "benefit.description": p.Benefit.Description,
	} {
		if strings.TrimSpace(v) == "" {
			t.Errorf("%s is empty", field)
		}
	}
	if !policyCodeRE.MatchString(p.Code) {
		t.Errorf("code %q is not a lower-case ASCII slug", p.Code)
	}
	if !strings.Contains(p.File, p.Code) {
		t.Errorf("file %s does not carry the code %s", p.File, p.Code)
	}
	if !slices.Contains(levels, p.Level) || !slices.Contains(shelves, p.Shelf) || !slices.Contains(modes, p.Mode) {
		t.Errorf("level %q, shelf %q, mode %q: not in the vocabularies", p.Level, p.Shelf, p.Mode)
	}
	if !landlineRE.MatchString(p.ContactPhone) {
		t.Errorf("contact phone %q is not a Beibei landline", p.ContactPhone)
	}
	if !guidePhoneRE.MatchString(p.Guide.Phone) {
		t.Errorf("guide phone %q is neither a Chongqing number nor a hotline", p.Guide.Phone)
	}
	switch {
	case p.Mode == "no_apply" && p.Guide.TimeLimitDays < 0,
		p.Mode != "no_apply" && (p.Guide.TimeLimitDays < 1 || p.Guide.TimeLimitDays > 60):
		t.Errorf("%s policy with a time limit of %d working days", p.Mode, p.Guide.TimeLimitDays)
	}
	switch p.Level {
	case "district":
		// District documents are made up for the demo and must say so.
		if !districtDocRE.MatchString(p.DocumentNo) {
			t.Errorf("district document number %q is not in the form 北碚府发〔2025〕N号", p.DocumentNo)
		}
		if !strings.Contains(p.Summary, "演示数据") {
			t.Error("a district policy's summary must say it is demonstration data")
		}
	default:
		// Every national and municipal rule cites its source.
		if !strings.Contains(p.Summary, p.DocumentNo) && !strings.Contains(p.FullText, p.DocumentNo) {
			t.Errorf("neither summary nor full text cites %s", p.DocumentNo)
		}
		if strings.Contains(p.Summary, "演示数据") {
			t.Error("a real document is marked as demonstration data")
		}
	}
}

func checkPolicyDates(t *testing.T, p seed.DemoPolicy) {
	t.Helper()
	from, err := time.Parse(time.DateOnly, p.ValidFrom)
	if err != nil {
		t.Errorf("valid_from %q: %v", p.ValidFrom, err)
	}
	if p.ValidTo != "" {
		to, err := time.Parse(time.DateOnly, p.ValidTo)
		if err != nil {
			t.Errorf("valid_to %q: %v", p.ValidTo, err)
		} else if to.Before(from) {
			t.Errorf("valid %s…%s ends before it starts", p.ValidFrom, p.ValidTo)
		}
	}
	for _, tc := range p.Tests {
		if _, err := time.Parse(time.DateOnly, tc.AsOf); err != nil {
			t.Errorf("test %q: as_of %q: %v", tc.Name, tc.AsOf, err)
		}
		if tc.AsOf < p.ValidFrom || p.ValidTo != "" && tc.AsOf > p.ValidTo {
			t.Errorf("test %q is as of %s, outside the validity %s…%s", tc.Name, tc.AsOf, p.ValidFrom, p.ValidTo)
		}
	}
}

func checkMaterials(t *testing.T, p seed.DemoPolicy) {
	t.Helper()
	seen := map[string]bool{}
	asks := 0
	for _, m := range p.Materials {
		if strings.TrimSpace(m.Name) == "" || seen[m.Name] {
			t.Errorf("material %q is empty or listed twice", m.Name)
		}
		seen[m.Name] = true
		switch m.Source {
		case "applicant":
			if m.Required {
				asks++
			}
		case "profile":
		default:
			t.Errorf("material %q has source %q, want applicant or profile", m.Name, m.Source)
		}
	}
	switch {
	case p.Mode == "no_apply" && asks > 0:
		t.Errorf("a 免申即享 policy asks the enterprise for %d materials", asks)
	case p.Mode == "apply" && asks == 0:
		t.Error("an application (申报) policy asks for nothing: it should be 免申即享 or 快申快享")
	}
}

// checkCodes checks the codes a rule compares with against the registry's
// vocabularies: tags, GB/T 4754 sections and codes, GB/T 2260 regions.
func checkCodes(t *testing.T, r *eligibility.Rule, tags map[string]bool) {
	t.Helper()
	for _, l := range r.Leaves() {
		for _, s := range l.Strs {
			switch l.Attr.Name {
			case "tags":
				if !tags[s] {
					t.Errorf("tag %q is not in the tag vocabulary", s)
				}
			case "industry_section":
				if len(s) != 1 || s < "A" || s > "T" {
					t.Errorf("industry section %q is not a GB/T 4754-2017 门类", s)
				}
			case "industry_code":
				if _, ok := standards.LookupIndustry(s); !ok {
					t.Errorf("industry code %q is not in GB/T 4754-2017", s)
				}
			case "region_code":
				if _, ok := standards.LookupRegion(s); !ok {
					t.Errorf("region code %q is not a Chongqing division", s)
				}
			}
		}
	}
}

func checkBenefitShape(t *testing.T, p seed.DemoPolicy) {
	t.Helper()
	b := p.Benefit
	if !slices.Contains(periods, b.Period) {
		t.Errorf("benefit period %q", b.Period)
	}
	amount, capFen := yuanFen(t, b.AmountYuan), yuanFen(t, b.CapYuan)
	switch b.Kind {
	case "fixed":
		if amount <= 0 || b.Formula != "" {
			t.Errorf("a fixed benefit needs a positive amount and no formula (amount %s, formula %q)", b.AmountYuan, b.Formula)
		}
		if b.CapYuan != "" && capFen < amount {
			t.Errorf("cap %s below the fixed amount %s", b.CapYuan, b.AmountYuan)
		}
	case "formula":
		if b.AmountYuan != "" {
			t.Errorf("a formula benefit has a fixed amount %s", b.AmountYuan)
		}
		f, err := eligibility.CompileFormula(eligibility.Default, b.Formula, "benefit.formula")
		if err != nil {
			t.Fatalf("formula %q: %v", b.Formula, err)
		}
		if len(f.Attributes()) == 0 {
			t.Errorf("formula %q reads no attribute", b.Formula)
		}
	case "none":
		if b.AmountYuan != "" || b.Formula != "" || b.CapYuan != "" || b.Saving {
			t.Error("a benefit of kind none has an amount, formula, cap or saving")
		}
	default:
		t.Errorf("benefit kind %q", b.Kind)
	}
	// A tax relief is realised in the firm's own return: its amount is an
	// estimated saving, never money the platform pays out.
	if (p.Shelf == "tax" || savingPolicies[p.Code]) && b.Kind != "none" && !b.Saving {
		t.Errorf("%s estimates a tax saving of kind %s but is not marked \"saving\": the platform would pay it out", p.Code, b.Kind)
	}
	if b.Saving && p.Shelf != "tax" && !savingPolicies[p.Code] {
		t.Errorf("%s is marked as a saving but is no tax relief", p.Code)
	}
}

// savingPolicies are the tax reliefs shelved elsewhere than on the tax
// shelf: 高新技术企业's 15% rate is on the technology shelf.
var savingPolicies = map[string]bool{"gxjsqy-rd-2016": true}

// yuanFen parses an amount of yuan ("" is 0).
func yuanFen(t *testing.T, n json.Number) int64 {
	t.Helper()
	if n == "" {
		return 0
	}
	fen, err := money.ParseYuan(n.String())
	if err != nil {
		t.Fatalf("amount %q: %v", n, err)
	}
	return fen
}

// benefitFen is what the policy gives the profile: the fixed amount, or the
// formula's value, capped; ok is false when the formula lacks a fact.
func benefitFen(t *testing.T, p seed.DemoPolicy, prof *eligibility.Profile) (int64, bool) {
	t.Helper()
	var fen int64
	switch p.Benefit.Kind {
	case "fixed":
		fen = yuanFen(t, p.Benefit.AmountYuan)
	case "formula":
		f, err := eligibility.CompileFormula(eligibility.Default, p.Benefit.Formula, "benefit.formula")
		if err != nil {
			t.Fatal(err)
		}
		v, _, ok := f.Eval(prof)
		if !ok {
			return 0, false
		}
		fen = v
	}
	if p.Benefit.CapYuan != "" {
		fen = min(fen, yuanFen(t, p.Benefit.CapYuan))
	}
	return fen, true
}

// TestDemoPolicyCases runs every policy's own test cases, and checks that
// the cases between them put every comparison both ways and every threshold
// on both sides: at the threshold itself and one step (a fen, a person, a
// year, 0.1 %) beyond it.
func TestDemoPolicyCases(t *testing.T) {
	for _, p := range demoPolicies(t) {
		t.Run(p.Code, func(t *testing.T) {
			rule, err := eligibility.Parse(eligibility.Default, p.Conditions, "conditions")
			if err != nil {
				t.Fatal(err)
			}
			cov := newCoverage(rule)
			outcomes := map[eligibility.Outcome]int{}
			var benefits []int64
			for _, tc := range p.Tests {
				prof, err := eligibility.ProfileOf(eligibility.Default, tc.AsOf, tc.Profile, "profile")
				if err != nil {
					t.Errorf("%s: profile: %v", tc.Name, err)
					continue
				}
				res := rule.Evaluate(prof)
				outcomes[res.Outcome]++
				if string(res.Outcome) != tc.Expect {
					t.Errorf("%s: %s, want %s\n%s", tc.Name, res.Outcome, tc.Expect, explain(res))
				}
				if res.Outcome == eligibility.Unknown && len(res.Missing) == 0 {
					t.Errorf("%s: unknown without naming a missing fact", tc.Name)
				}
				cov.add(res)
				if tc.BenefitYuan != nil {
					want := yuanFen(t, *tc.BenefitYuan)
					got, ok := benefitFen(t, p, prof)
					if !ok || got != want {
						t.Errorf("%s: benefit %s yuan (computed: %v), want %s", tc.Name, money.FormatYuan(got), ok, tc.BenefitYuan)
					}
					if res.Outcome == eligibility.Eligible {
						benefits = append(benefits, got)
					}
				}
			}
			for _, o := range []eligibility.Outcome{eligibility.Eligible, eligibility.Ineligible, eligibility.Unknown} {
				if outcomes[o] == 0 {
					t.Errorf("no test case is %s", o)
				}
			}
			for _, gap := range cov.gaps() {
				t.Error(gap)
			}
			checkBenefitCases(t, p, benefits)
		})
	}
}

// checkBenefitCases wants an eligible case that checks the amount, and for a
// capped formula one case below the cap and one at it.
func checkBenefitCases(t *testing.T, p seed.DemoPolicy, benefits []int64) {
	t.Helper()
	if p.Benefit.Kind == "none" {
		return
	}
	if len(benefits) == 0 {
		t.Error("no eligible test case checks the benefit")
		return
	}
	if p.Benefit.Kind == "formula" && p.Benefit.CapYuan != "" {
		capFen := yuanFen(t, p.Benefit.CapYuan)
		if !slices.Contains(benefits, capFen) {
			t.Errorf("no test case reaches the cap of %s yuan", p.Benefit.CapYuan)
		}
		if !slices.ContainsFunc(benefits, func(b int64) bool { return 0 < b && b < capFen }) {
			t.Error("no test case stays below the cap")
		}
	}
}

func explain(res eligibility.Result) string {
	var b strings.Builder
	for _, c := range res.Checks {
		fmt.Fprintf(&b, "  %s: %s\n", c.Path, c.Text.Zh)
	}
	if len(res.Missing) > 0 {
		fmt.Fprintf(&b, "  missing: %v\n", res.Missing)
	}
	return b.String()
}

// coverage records, per comparison of a rule, the truths and actual values
// the test cases produced.
type coverage struct {
	leaves []*eligibility.Leaf
	paths  []string
	seen   map[string]map[eligibility.Truth]bool
	at     map[string][]point
}

type point struct {
	actual float64
	truth  eligibility.Truth
}

func newCoverage(r *eligibility.Rule) *coverage {
	c := &coverage{seen: map[string]map[eligibility.Truth]bool{}, at: map[string][]point{}}
	// An evaluation lists every comparison in tree order, so the checks of
	// any complete profile name the leaves' paths.
	res := r.Evaluate(eligibility.NewProfile(eligibility.Default, "2026-01-01"))
	c.leaves = r.Leaves()
	for _, ch := range res.Checks {
		c.paths = append(c.paths, ch.Path)
	}
	return c
}

func (c *coverage) add(res eligibility.Result) {
	for _, ch := range res.Checks {
		if c.seen[ch.Path] == nil {
			c.seen[ch.Path] = map[eligibility.Truth]bool{}
		}
		c.seen[ch.Path][ch.Result] = true
		if x, ok := ch.Actual.(float64); ok {
			c.at[ch.Path] = append(c.at[ch.Path], point{x, ch.Result})
		}
	}
}

// step is how far beyond a threshold the nearest value on its other side
// lies, in the attribute's external units.
func step(a *eligibility.Attribute) float64 {
	if a.Step > 0 {
		return a.Step
	}
	switch a.Type {
	case eligibility.TypeMoney:
		return 0.01
	case eligibility.TypePercent:
		return 0.1
	}
	return 1
}

func (c *coverage) gaps() []string {
	var out []string
	for i, l := range c.leaves {
		path := c.paths[i]
		name := fmt.Sprintf("%s (%s %s %v)", path, l.Attr.Name, l.Op, l.Value)
		if l.Op == eligibility.OpExists {
			continue
		}
		if !c.seen[path][eligibility.Met] || !c.seen[path][eligibility.NotMet] {
			out = append(out, fmt.Sprintf("%s: no test case where it is both met and not met (seen %v)", name, c.seen[path]))
		}
		switch l.Op {
		case eligibility.OpLt, eligibility.OpLe, eligibility.OpGt, eligibility.OpGe:
		default:
			continue
		}
		th, s := l.Nums[0], step(l.Attr)
		if l.Attr.Type == eligibility.TypeMoney {
			th /= 100
		}
		const eps = 1e-6 // far below a fen, far above float error at these magnitudes
		near := func(x float64) bool { return math.Abs(x-th) <= eps }
		var atTruth, beyondTruth []eligibility.Truth
		for _, pt := range c.at[path] {
			switch d := pt.actual - th; {
			case near(pt.actual):
				atTruth = append(atTruth, pt.truth)
			case math.Abs(d) <= s+eps:
				beyondTruth = append(beyondTruth, pt.truth)
			}
		}
		if len(atTruth) == 0 {
			out = append(out, fmt.Sprintf("%s: no test case exactly at the threshold", name))
		}
		if !slices.ContainsFunc(beyondTruth, func(b eligibility.Truth) bool { return len(atTruth) > 0 && b != atTruth[0] }) {
			out = append(out, fmt.Sprintf("%s: no test case one step (%g) across the threshold", name, s))
		}
	}
	return out
}

// TestDemoPoliciesAcceptedByThePolicyService decodes every file as the API
// and the editor do (unknown fields refused) and validates it with the
// policy service's own rules, which run the policy's tests again.
func TestDemoPoliciesAcceptedByThePolicyService(t *testing.T) {
	for _, p := range demoPolicies(t) {
		in, err := policy.ParseInput(p.Raw)
		if err != nil {
			t.Errorf("%s: %v", p.File, err)
			continue
		}
		if err := in.Validate(); err != nil {
			t.Errorf("%s: %v %v", p.File, err, errs.FieldsOf(err))
		}
	}
}

// policyServices builds the services the policy history is played through.
func policyServices(t *testing.T, d *db.DB, ent *enterprise.Service) seed.PolicyServices {
	t.Helper()
	cal := calendar.New(calendar.Options{})
	n := notify.New(d, map[string]notify.Sender{}, nil)
	return seed.PolicyServices{
		Policies:    policy.NewService(d, cal, ent, n, nil, policy.Config{}, nil),
		Enterprises: ent,
		Files:       files.NewStore(d, files.LocalBlobs{Dir: t.TempDir()}, 1<<20),
	}
}

func TestDemoPolicyHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ent := enterprise.NewService(d)
		au := auth.NewService(d, auth.Config{Demo: true, MFA: auth.MFAOff}, nil)
		if err := seed.Demo(sys(), d, ent, au, nil); err != nil {
			t.Fatal(err)
		}
		s := policyServices(t, d, ent)
		// A fixed day, so that the history is the same whenever the test runs.
		s.Until = calendar.Date{Year: 2026, Month: time.November, Day: 20}
		start := time.Now()
		if err := seed.DemoPolicyHistory(sys(), d, s, nil); err != nil {
			t.Fatal(err)
		}
		t.Logf("policy history: %v", time.Since(start))
		rows, err := d.QueryContext(context.Background(), "SELECT state, count(*) FROM policy_applications GROUP BY state ORDER BY state")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var st string
			var n int
			rows.Scan(&st, &n)
			t.Logf("  %-26s %d", st, n)
		}
		rows.Close()

		t.Run("every demo policy is on the shelves", func(t *testing.T) {
			want := len(demoPolicies(t))
			if n := count(t, d, "SELECT count(*) FROM policies WHERE status = 'published'"); n != want {
				t.Errorf("%d published policies, want %d", n, want)
			}
		})

		t.Run("applications stand in every state", func(t *testing.T) {
			for _, st := range []policy.AppState{policy.AppInReview, policy.AppSupplement, policy.AppSecondApproval, policy.AppApproved,
				policy.AppPublicity, policy.AppPayable, policy.AppPaid, policy.AppRejected, policy.AppObjected, policy.AppWithdrawn} {
				if n := count(t, d, "SELECT count(*) FROM policy_applications WHERE state = ?", string(st)); n == 0 {
					t.Errorf("no application is %s", st)
				}
			}
			if n := count(t, d, "SELECT count(*) FROM policy_applications"); n < 40 {
				t.Errorf("%d applications, want at least 40", n)
			}
			if n := count(t, d, "SELECT count(*) FROM policy_applications WHERE state = 'rejected' AND decision_note = ''"); n != 0 {
				t.Errorf("%d rejections without a reason", n)
			}
			if n := count(t, d, "SELECT count(*) FROM policy_application_steps WHERE action = 'second_approve'"); n == 0 {
				t.Error("no large amount was approved twice")
			}
		})

		t.Run("publicity ended and payments were made both ways", func(t *testing.T) {
			if n := count(t, d, "SELECT count(*) FROM policy_publicity_batches WHERE state = 'closed'"); n == 0 {
				t.Error("no finished 公示")
			}
			if n := count(t, d, "SELECT count(*) FROM policy_payments WHERE application_id IS NOT NULL"); n < 10 {
				t.Errorf("%d payments on applications, want at least 10", n)
			}
			if n := count(t, d, "SELECT count(*) FROM policy_payments WHERE run_item_id IS NOT NULL"); n == 0 {
				t.Error("no payment without application")
			}
			if n := count(t, d, "SELECT count(*) FROM policy_payments WHERE paid_on >= ?", s.Until.String()); n != 0 {
				t.Errorf("%d payments dated on or after the day the history leads up to", n)
			}
		})

		t.Run("one 免申即享 run is complete: every listed firm confirmed its account and was paid", func(t *testing.T) {
			complete := count(t, d, `SELECT count(*) FROM policy_runs r WHERE r.state = 'confirmed' AND r.eligible > 0
				AND NOT EXISTS (SELECT 1 FROM policy_run_items i WHERE i.run_id = r.id AND i.state <> 'paid')`)
			if complete == 0 {
				t.Error("no completed run")
			}
			if n := count(t, d, "SELECT count(*) FROM policy_run_items WHERE state = 'listed'"); n == 0 {
				t.Error("no firm is still to confirm its account in the run under way")
			}
		})

		t.Run("each demo enterprise account has applications in several states", func(t *testing.T) {
			for _, a := range seed.DemoAccounts() {
				if a.Enterprise == "" {
					continue
				}
				n := count(t, d, `SELECT count(DISTINCT a.state) FROM policy_applications a JOIN enterprises e ON e.id = a.enterprise_id
					WHERE e.credit_code = ?`, a.Enterprise)
				if n < 3 {
					t.Errorf("%s: applications in %d states, want at least 3", a.Username, n)
				}
			}
		})

		t.Run("every policy indicator has data behind it", func(t *testing.T) {
			officer := identity.WithPrincipal(context.Background(), &identity.Principal{Username: "policy", Role: identity.RolePolicyOfficer})
			in, err := s.Policies.Indicators(officer, policy.IndicatorPeriod{From: "2026-01-01", To: s.Until.String()})
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range in.Items {
				t.Logf("  %-24s %s", it.Key, it.Display)
				empty := it.Value == 0
				if it.Unit.Zh == "%" {
					empty = it.Denominator == 0 || it.Numerator == 0 || it.Numerator == it.Denominator
				}
				if empty {
					t.Errorf("indicator %s is %s: no data, or nothing to tell apart", it.Key, it.Display)
				}
			}
		})

		t.Run("a second load changes nothing", func(t *testing.T) {
			before := count(t, d, "SELECT count(*) FROM audit_log")
			if err := seed.DemoPolicyHistory(sys(), d, s, nil); err != nil {
				t.Fatal(err)
			}
			if after := count(t, d, "SELECT count(*) FROM audit_log"); after != before {
				t.Errorf("audit records %d → %d", before, after)
			}
		})
	})
}
