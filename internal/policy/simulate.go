package policy

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/standards"
)

// SimulateInput is what to simulate: a stored policy's newest version, or
// conditions and a benefit being edited (not yet saved).
type SimulateInput struct {
	PolicyID   int64            `json:"policy_id,omitempty"`
	Conditions eligibility.Node `json:"conditions"`
	Benefit    Benefit          `json:"benefit"`
	AsOf       string           `json:"as_of,omitempty"` // today when empty
	SampleSize int              `json:"sample_size,omitempty"`
}

// Simulation is how many enterprises a rule reaches and what it costs.
type Simulation struct {
	AsOf       string
	Eligible   int
	Ineligible int
	Unknown    int
	ByStreet   []Bucket // by the street (乡镇街道) of the registered address
	ByIndustry []Bucket // by GB/T 4754 section
	BySize     []Bucket // by size class
	// EstimatedPayoutFen sums the benefit of every eligible firm whose
	// amount can be computed; PayoutUnknown counts those whose cannot.
	EstimatedPayoutFen int64
	PayoutUnknown      int
	// Saving says the benefit is a tax or fee saving: the estimate is
	// revenue forgone by the state, not money the platform pays out.
	Saving bool
	Sample []SampleFirm // some eligible firms, lowest ids first
}

// Bucket is one group of a breakdown.
type Bucket struct {
	Key       string
	Label     i18n.Msg
	Eligible  int
	Unknown   int
	PayoutFen int64
}

// SampleFirm is one eligible enterprise of a simulation.
type SampleFirm struct {
	EnterpriseID int64
	Name         string
	AmountFen    *int64
}

// Simulate evaluates a rule over every enterprise as of a date, for the
// editor's live count and before publishing. Only policy managers and
// readers may simulate.
func (s *Service) Simulate(ctx context.Context, in SimulateInput) (Simulation, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermPolicyManage) && !p.Can(identity.PermPolicyRead) {
		return Simulation{}, s.deny(ctx, "policy.simulate", "policy", idStr(in.PolicyID))
	}
	asOf, err := s.asOf(in.AsOf)
	if err != nil {
		return Simulation{}, err
	}
	var v *Version
	if in.PolicyID != 0 {
		row, err := loadPolicyRow(ctx, s.db, in.PolicyID, false)
		if err != nil {
			return Simulation{}, err
		}
		if v, err = s.version(ctx, row.ID, row.Latest); err != nil {
			return Simulation{}, err
		}
	} else {
		def := Input{Conditions: in.Conditions, Benefit: in.Benefit}
		if def.Benefit.Kind == "" {
			def.Benefit.Kind = BenefitNone
		}
		if def.Benefit.Period == "" {
			def.Benefit.Period = PeriodOnce
		}
		c, err := compileRule(def)
		if err != nil {
			return Simulation{}, err
		}
		v = &Version{Input: def, rule: c.rule, formula: c.formula}
	}
	sim := Simulation{AsOf: asOf, Saving: v.Benefit.Saving}
	streets, industries, sizes := map[string]*Bucket{}, map[string]*Bucket{}, map[string]*Bucket{}
	sampleSize := in.SampleSize
	if sampleSize <= 0 || sampleSize > 100 {
		sampleSize = 20
	}
	// tally counts one enterprise with its outcome into the totals and
	// breakdowns.
	tally := func(id int64, out eligibility.Outcome, prof *eligibility.Profile) {
		var amount *int64
		switch out {
		case eligibility.Ineligible:
			sim.Ineligible++
			return
		case eligibility.Unknown:
			sim.Unknown++
		case eligibility.Eligible:
			sim.Eligible++
			if v.Benefit.Kind != BenefitNone {
				if fen, _, ok := v.Entitlement(prof); ok {
					amount = &fen
					sim.EstimatedPayoutFen += fen
				} else {
					sim.PayoutUnknown++
				}
			}
			if len(sim.Sample) < sampleSize {
				sim.Sample = append(sim.Sample, SampleFirm{EnterpriseID: id, AmountFen: amount})
			}
		}
		street, section, size := attrStr(prof, "region_code"), attrStr(prof, "industry_section"), attrStr(prof, "size")
		for _, g := range []struct {
			m   map[string]*Bucket
			key string
		}{{streets, street}, {industries, section}, {sizes, size}} {
			b := g.m[g.key]
			if b == nil {
				b = &Bucket{Key: g.key}
				g.m[g.key] = b
			}
			if out == eligibility.Eligible {
				b.Eligible++
				if amount != nil {
					b.PayoutFen += *amount
				}
			} else {
				b.Unknown++
			}
		}
	}
	if rm, ok := s.match.(RuleMatcher); ok {
		// The index decides every firm at once; only those reached or
		// undecided need a profile, for the breakdowns and the payout.
		set, err := rm.Match(ctx, v.rule, asOf)
		if err != nil {
			return Simulation{}, err
		}
		sim.Ineligible = len(set.Ineligible)
		for _, g := range []struct {
			ids []int64
			out eligibility.Outcome
		}{{set.Eligible, eligibility.Eligible}, {set.Unknown, eligibility.Unknown}} {
			for _, id := range g.ids {
				prof, err := s.match.Profile(ctx, id, asOf)
				if err != nil {
					return Simulation{}, err
				}
				tally(id, g.out, prof)
			}
		}
	} else {
		err = s.match.Scan(ctx, asOf, func(id int64, prof *eligibility.Profile) bool {
			tally(id, v.rule.Outcome(prof), prof)
			return true
		})
		if err != nil {
			return Simulation{}, err
		}
	}
	sim.ByStreet = buckets(streets, streetLabel)
	sim.ByIndustry = buckets(industries, sectionLabel)
	sim.BySize = buckets(sizes, func(k string) i18n.Msg {
		if k == "" {
			return i18n.M("规模未知", "Size unknown")
		}
		return optionName(eligibility.SizeOptions, k)
	})
	if err := s.nameSample(ctx, sim.Sample); err != nil {
		return Simulation{}, err
	}
	return sim, nil
}

// SimulateJSON decodes a SimulateInput, refusing unknown fields.
func SimulateJSON(b []byte) (SimulateInput, error) {
	var in SimulateInput
	if err := json.Unmarshal(b, &in); err != nil {
		return SimulateInput{}, errs.Invalid("body", i18n.M("模拟请求不是有效的 JSON", "the simulation request is not valid JSON"))
	}
	return in, nil
}

func attrStr(p *eligibility.Profile, name string) string {
	v, ok := p.Get(name)
	if !ok {
		return ""
	}
	return v.Str
}

func optionName(opts []eligibility.Option, code string) i18n.Msg {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return i18n.M(code, code)
}

func streetLabel(code string) i18n.Msg {
	if code == "" {
		return i18n.M("地区未知", "Region unknown")
	}
	if r, ok := standards.LookupRegion(code); ok {
		return i18n.M(r.Name, r.Name)
	}
	return i18n.M(code, code)
}

func sectionLabel(code string) i18n.Msg {
	if code == "" {
		return i18n.M("行业未知", "Industry unknown")
	}
	if ind, ok := standards.LookupIndustry(code); ok {
		return i18n.M(code+" "+ind.Name, code+" "+ind.Name)
	}
	return i18n.M(code, code)
}

// buckets orders a breakdown by eligible firms, most first, then key.
func buckets(m map[string]*Bucket, label func(string) i18n.Msg) []Bucket {
	out := make([]Bucket, 0, len(m))
	for k, b := range m {
		b.Label = label(k)
		out = append(out, *b)
	}
	slices.SortFunc(out, func(a, b Bucket) int {
		if c := cmp.Compare(b.Eligible, a.Eligible); c != 0 {
			return c
		}
		return cmp.Compare(a.Key, b.Key)
	})
	return out
}

// nameSample fills the enterprise names of a sample.
func (s *Service) nameSample(ctx context.Context, sample []SampleFirm) error {
	if len(sample) == 0 {
		return nil
	}
	ids := make([]int64, len(sample))
	for i, f := range sample {
		ids[i] = f.EnterpriseID
	}
	names, err := enterpriseNames(ctx, s.db, ids)
	if err != nil {
		return err
	}
	for i := range sample {
		sample[i].Name = names[sample[i].EnterpriseID]
	}
	return nil
}

// enterpriseNames reads the names of enterprises by id.
func enterpriseNames(ctx context.Context, q db.Queryer, ids []int64) (map[int64]string, error) {
	in, args := db.In(ids)
	rows, err := q.QueryContext(ctx, "SELECT id, name FROM enterprises WHERE id IN "+in, args...)
	if err != nil {
		return nil, wrap("enterprise names", err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
