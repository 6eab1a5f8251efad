package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
)

// The public 政策计算器 keeps its state in the query string, so that it
// needs no account, no cookie and no JavaScript, and "back" is a link:
//
//	order=employees,taxable_income   the questions answered, in order
//	a.employees=80                   an answer, in the question's units (万元 for money)
//	skip=…                           an attribute answered "不清楚"
//
// Each page asks the one question the most still-undecided policies need.

// pvCalcAnswer is one question already answered.
type pvCalcAnswer struct {
	Attr     string
	Question i18n.Msg
	Answer   i18n.Msg
	Skipped  bool
}

// pvCalcQuestion is the question on the page.
type pvCalcQuestion struct {
	Attr     string
	Question i18n.Msg
	Label    i18n.Msg
	Input    string // number, money, date, bool, select, checks, text
	Unit     i18n.Msg
	Options  []pbOption
	Value    string
	Error    string
	Policies int // how many undecided policies it helps decide
}

type policyCalcData struct {
	Answers    []pvCalcAnswer
	Hidden     []pvKV // the answers so far, carried by the form
	Question   *pvCalcQuestion
	Eligible   int
	Unknown    int
	Ineligible int
	Remaining  int
	BackURL    string
	RestartURL string
	Done       bool
	Results    []pvMatch
}

type pvKV struct{ K, V string }

// pvCalcMaxQuestions bounds the answers one URL may carry (the catalogue has
// fewer base attributes than this).
const pvCalcMaxQuestions = 40

// policyCalculator is the public calculator: one question at a time, only
// what the published rules read, with the running count of policies that
// fit, a way back, and the explained list at the end.
func (s *Server) policyCalculator(w http.ResponseWriter, r *http.Request) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	q := r.URL.Query()
	var order []string
	for _, a := range strings.Split(q.Get("order"), ",") {
		if attr, ok := eligibility.Default.Lookup(strings.TrimSpace(a)); ok && !attr.Derived() && !slices.Contains(order, attr.Name) {
			order = append(order, attr.Name)
		}
	}
	order = order[:min(len(order), pvCalcMaxQuestions)]
	skipped := map[string]bool{}
	for _, a := range q["skip"] {
		skipped[a] = true
	}
	answers := map[string]any{}
	typed := map[string]string{}
	badAttr, badMsg := "", ""
	for _, name := range order {
		a, _ := eligibility.Default.Lookup(name)
		raw := strings.TrimSpace(strings.Join(q["a."+name], ","))
		typed[name] = raw
		if skipped[name] || raw == "" {
			answers[name] = nil
			skipped[name] = true
			continue
		}
		v, err := pvCalcValue(a, raw, lang)
		if err != nil && badAttr == "" {
			badAttr, badMsg = name, err.Error()
			continue
		}
		answers[name] = v
	}
	if badAttr != "" {
		// Ask the question again with what was typed and why it is wrong.
		order = slices.DeleteFunc(order, func(n string) bool { return n == badAttr })
		delete(answers, badAttr)
	}
	res, err := s.Policy.Calculate(ctx, answers, "")
	if err != nil {
		f := errs.FieldsOf(err)
		if f == nil {
			s.fail(w, r, err)
			return
		}
		// The catalogue refused an answer: ask it again.
		for k, m := range f {
			name := strings.TrimPrefix(k, "answers.")
			if slices.Contains(order, name) && badAttr == "" {
				badAttr, badMsg = name, m.In(lang)
			}
		}
		if badAttr == "" {
			s.fail(w, r, err)
			return
		}
		order = slices.DeleteFunc(order, func(n string) bool { return n == badAttr })
		delete(answers, badAttr)
		if res, err = s.Policy.Calculate(ctx, answers, ""); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d := policyCalcData{Remaining: res.Remaining, RestartURL: "/policies/calculator"}
	for _, m := range res.Matches {
		switch m.Result.Outcome {
		case eligibility.Eligible:
			d.Eligible++
		case eligibility.Unknown:
			d.Unknown++
		default:
			d.Ineligible++
		}
	}
	for _, name := range order {
		a, _ := eligibility.Default.Lookup(name)
		ans := pvCalcAnswer{Attr: name, Question: pvQuestion(a), Skipped: skipped[name]}
		if ans.Skipped {
			ans.Answer = i18n.M("不清楚", "Don't know")
		} else {
			ans.Answer = pvCalcShow(a, typed[name])
		}
		d.Answers = append(d.Answers, ans)
		if skipped[name] {
			d.Hidden = append(d.Hidden, pvKV{"skip", name})
		} else {
			d.Hidden = append(d.Hidden, pvKV{"a." + name, typed[name]})
		}
	}
	if len(order) > 0 {
		d.BackURL = pvCalcURL(order[:len(order)-1], typed, skipped)
	}
	next := res.Next
	if badAttr != "" {
		next, _ = eligibility.Default.Lookup(badAttr)
	}
	if next == nil || len(order) >= pvCalcMaxQuestions {
		d.Done = true
		d.Results = pvMatches(res.Matches, false)
	} else {
		qn := pvCalcQuestionFor(next, s.pbTagOptions(r))
		qn.Policies = res.NextPolicies
		if next.Name == badAttr {
			qn.Value, qn.Error = typed[badAttr], badMsg
		}
		d.Question = &qn
		d.Hidden = append(d.Hidden, pvKV{"order", strings.Join(append(slices.Clone(order), next.Name), ",")})
	}
	status := http.StatusOK
	if badAttr != "" {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "policy_calc", i18n.M("政策计算器", "Policy calculator").In(lang), d)
}

// pvCalcURL is the calculator with the given answers.
func pvCalcURL(order []string, typed map[string]string, skipped map[string]bool) string {
	v := url.Values{}
	if len(order) == 0 {
		return "/policies/calculator"
	}
	v.Set("order", strings.Join(order, ","))
	for _, n := range order {
		if skipped[n] {
			v.Add("skip", n)
		} else {
			v.Set("a."+n, typed[n])
		}
	}
	return "/policies/calculator?" + v.Encode()
}

func pvQuestion(a *eligibility.Attribute) i18n.Msg {
	if !a.Question.IsZero() {
		return a.Question
	}
	return i18n.M(a.Label.Zh+"？", a.Label.En+"?")
}

type pvCalcErr struct{ msg string }

func (e pvCalcErr) Error() string { return e.msg }

// pvCalcValue turns a typed answer into the catalogue's external units:
// money is asked in 万元 and passed on in yuan, exactly.
func pvCalcValue(a *eligibility.Attribute, raw string, lang i18n.Lang) (any, error) {
	if a.Type == eligibility.TypeMoney {
		fen, err := money.ParseWan(raw)
		if err != nil {
			return nil, pvCalcErr{i18n.M("请填写以万元为单位的金额（最多六位小数）", "Enter an amount in 10k yuan (at most six decimals)").In(lang)}
		}
		return money.FormatYuan(fen), nil
	}
	return raw, nil
}

// pvCalcShow renders an answer back in its question's units.
func pvCalcShow(a *eligibility.Attribute, raw string) i18n.Msg {
	switch a.Type {
	case eligibility.TypeMoney:
		return i18n.M(raw+" 万元", raw+" × 10k yuan")
	case eligibility.TypeBool:
		if raw == "true" {
			return i18n.M("是", "Yes")
		}
		return i18n.M("否", "No")
	}
	if v, err := a.ParseValue(raw); err == nil {
		return a.Format(v)
	}
	return i18n.M(raw, raw)
}

func pvCalcQuestionFor(a *eligibility.Attribute, tags []pbOption) pvCalcQuestion {
	q := pvCalcQuestion{Attr: a.Name, Question: pvQuestion(a), Label: a.Label, Unit: a.Unit}
	switch {
	case a.Type == eligibility.TypeMoney:
		q.Input, q.Unit = "number", i18n.M("万元", "× 10k yuan")
	case a.Type == eligibility.TypeNumber || a.Type == eligibility.TypePercent:
		q.Input = "number"
	case a.Type == eligibility.TypeDate:
		q.Input = "date"
	case a.Type == eligibility.TypeBool:
		q.Input = "select"
		q.Options = []pbOption{{Code: "true", Label: i18n.M("是", "Yes")}, {Code: "false", Label: i18n.M("否", "No")}}
	case a.Type == eligibility.TypeSet && len(tags) > 0:
		q.Input, q.Options = "checks", tags
	case len(a.Options) > 0:
		q.Input = "select"
		for _, o := range a.Options {
			q.Options = append(q.Options, pbOption{Code: o.Code, Label: o.Name})
		}
	default:
		q.Input = "text"
	}
	return q
}

// pvMatch is one policy's result with its explanation, for 为我匹配 and the
// calculator's end.
type pvMatch struct {
	Card     pvCard
	Outcome  pvOutcome
	Checks   []pvCheck
	Missing  []pvMissing
	Benefit  string // estimated, yuan
	Saving   bool   // Benefit is a tax or fee saving, not money received
	CanApply bool
}

// pvMatches prepares results for display; apply marks the ones an
// enterprise may apply for now.
func pvMatches(ms []policy.Match, apply bool) []pvMatch {
	out := make([]pvMatch, 0, len(ms))
	for _, m := range ms {
		pm := pvMatch{Card: pvCardOf(m.Policy), Outcome: pvOutcomeOf(m.Result.Outcome), Checks: pvChecks(m.Result),
			Missing: pvMissingOf(m.Result.Missing), Benefit: pvYuan(m.EstimatedBenefitFen), Saving: m.Saving}
		pm.CanApply = apply && m.Result.Outcome == eligibility.Eligible && m.Policy.Current.Mode != policy.ModeNoApply
		out = append(out, pm)
	}
	return out
}
