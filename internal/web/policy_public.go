package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
)

// pvShelf is a shelf of the supermarket with how many policies it holds
// under the other filters.
type pvShelf struct {
	Code   string
	Name   i18n.Msg
	Count  int
	Active bool
}

type policyHomeData struct {
	Q, Shelf, Level, Mode string
	Shelves               []pvShelf
	Levels, Modes         []pvOpt
	Cards                 []pvCard
	Total, Page, Pages    int
	HasNext               bool
	Start                 int
	Staff                 bool
	Error                 string
}

// policyPerPage is the page size of the shelves.
const policyPerPage = 20

// policyHome is 政策超市: shelves with counts, level and mode filters and a
// search over titles, document numbers, issuers and keywords. With htmx
// the results follow the filters as they change.
func (s *Server) policyHome(w http.ResponseWriter, r *http.Request) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	q := r.URL.Query()
	d := policyHomeData{Q: strings.TrimSpace(q.Get("q")), Shelf: q.Get("shelf"), Level: q.Get("level"), Mode: q.Get("mode"),
		Page: max(atoiDefault(q.Get("page"), 1), 1), Staff: policyStaff(identity.PrincipalFrom(ctx))}
	var bad []string
	for _, f := range []struct {
		v    *string
		opts []policy.Option
		name i18n.Msg
	}{{&d.Shelf, policy.Shelves, i18n.M("类别", "shelf")}, {&d.Level, policy.Levels, i18n.M("层级", "level")}, {&d.Mode, policy.Modes, i18n.M("兑现方式", "mode")}} {
		if *f.v != "" && !pvValid(f.opts, *f.v) {
			bad = append(bad, f.name.In(lang))
			*f.v = ""
		}
	}
	if len(bad) > 0 {
		d.Error = i18n.M("已忽略无法识别的筛选条件：", "Ignored filters that were not recognised: ").In(lang) + strings.Join(bad, "、")
	}
	d.Levels, d.Modes = pvOpts(policy.Levels, d.Level), pvOpts(policy.Modes, d.Mode)
	// Counts per shelf under the other filters; a district holds hundreds
	// of policies, so reading them all is cheap. A search ranks them by
	// the index (Chinese words, pinyin, initials).
	f := policy.Filter{Level: policy.Level(d.Level), Mode: policy.Mode(d.Mode)}
	if d.Staff {
		f.Status = policy.StatusPublished
	}
	found, err := search.AllPolicies(ctx, s.Policy, f)
	if err == nil && d.Q != "" {
		var ranked []search.RankedPolicy
		ranked, err = s.PolicySearch.Rank(ctx, d.Q, found)
		found = found[:0]
		for _, h := range ranked {
			found = append(found, h.Policy)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts := map[string]int{}
	var all []policy.Policy
	for _, p := range found {
		counts[string(p.Current.Shelf)]++
		if d.Shelf == "" || string(p.Current.Shelf) == d.Shelf {
			all = append(all, p)
		}
	}
	for _, o := range policy.Shelves {
		d.Shelves = append(d.Shelves, pvShelf{Code: o.Code, Name: o.Name, Count: counts[o.Code], Active: o.Code == d.Shelf})
	}
	d.Total = len(all)
	d.Pages = max((d.Total+policyPerPage-1)/policyPerPage, 1)
	d.Page = min(d.Page, d.Pages)
	from := (d.Page - 1) * policyPerPage
	d.Start = from + 1
	for _, p := range all[from:min(from+policyPerPage, len(all))] {
		d.Cards = append(d.Cards, pvCardOf(p))
	}
	d.HasNext = d.Page < d.Pages
	s.render(w, r, http.StatusOK, "policy_home", i18n.M("政策超市", "Policy supermarket").In(lang), d)
}

// pvWords is a condition tree in words, for the policy page.
type pvWords struct {
	Group bool
	Any   bool
	Not   bool
	Text  i18n.Msg
	Kids  []pvWords
}

// pvWordsOf renders a stored condition tree in words: each comparison as
// "从业人数 不超过 300 人".
func pvWordsOf(n eligibility.Node) pvWords {
	n, neg := unwrapNot(n)
	switch {
	case n.All != nil || n.Any != nil:
		kids := n.All
		if n.Any != nil {
			kids = n.Any
		}
		w := pvWords{Group: true, Any: n.Any != nil, Not: neg}
		for _, k := range kids {
			w.Kids = append(w.Kids, pvWordsOf(k))
		}
		return w
	}
	return pvWords{Not: neg, Text: pvLeafWords(n)}
}

func pvLeafWords(n eligibility.Node) i18n.Msg {
	a, ok := eligibility.Default.Lookup(n.Attr)
	if !ok {
		return i18n.M(n.Attr, n.Attr)
	}
	op := eligibility.OpLabel(n.Op)
	if n.Op == eligibility.OpExists {
		return i18n.M(a.Label.Zh+" "+op.Zh, a.Label.En+" "+op.En)
	}
	dec := json.NewDecoder(bytes.NewReader(n.Value))
	dec.UseNumber()
	var raw any
	_ = dec.Decode(&raw)
	items, isList := raw.([]any)
	if !isList {
		items = []any{raw}
	}
	var zh, en []string
	for _, it := range items {
		text := i18n.M(fmt.Sprint(it), fmt.Sprint(it))
		if a.Type == eligibility.TypeSet || n.Op == eligibility.OpPrefix {
			// one tag or one prefix at a time
		} else if v, err := a.ParseValue(it); err == nil {
			text = a.Format(v)
		}
		zh, en = append(zh, text.Zh), append(en, text.En)
	}
	sep, sepEn := "、", ", "
	if n.Op == eligibility.OpBetween {
		sep, sepEn = " 至 ", " and "
	}
	return i18n.M(a.Label.Zh+" "+op.Zh+" "+strings.Join(zh, sep), a.Label.En+" "+op.En+" "+strings.Join(en, sepEn))
}

type policyShowData struct {
	Card       pvCard
	V          policy.Version
	Department string
	Benefit    i18n.Msg
	TimeLimit  int
	Words      pvWords
	Applicant  []policy.Material // what the applicant provides
	Held       []policy.Material // what the platform already holds
	Versions   []policy.Version
	CanApply   bool // an enterprise user, a policy one applies for
	Anonymous  bool
	Staff      bool
	Editor     bool
	EffectFrom string
}

// policyShow is a policy's page: its document, the 申兑指南, the benefit,
// the materials (what the platform holds is never asked), the first-inquiry
// contact, the conditions in words and the way to apply.
func (s *Server) policyShow(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := policyPathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Policy.Get(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := identity.PrincipalFrom(ctx)
	v := p.Current
	d := policyShowData{Card: pvCardOf(p), V: v, Benefit: pvBenefit(v), TimeLimit: v.Guide.TimeLimitDays, Words: pvWordsOf(v.Conditions),
		Anonymous: pr == nil, Staff: policyStaff(pr), Editor: policyEditor(pr), EffectFrom: v.EffectiveFrom,
		CanApply: pr.Can(identity.PermEnterpriseOwn) && v.Mode != policy.ModeNoApply && p.Status == policy.StatusPublished}
	if d.TimeLimit == 0 {
		d.TimeLimit = s.Policy.Config().DefaultTimeLimitDays
	}
	d.Department = s.departmentNames(ctx)[v.Department]
	if d.Department == "" {
		d.Department = v.Department
	}
	for _, m := range v.Materials {
		if m.Source == "profile" {
			d.Held = append(d.Held, m)
		} else {
			d.Applicant = append(d.Applicant, m)
		}
	}
	if d.Versions, err = s.Policy.Versions(ctx, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "policy_show", v.Title, d)
}

type policyPublicityData struct {
	Batches []pvBatch
	Errors  map[string]string
	Values  map[string]string
	Done    string
}

type pvBatch struct {
	policy.PublicityBatch
	IsOpen bool
	Items  []pvBatchItem
}

type pvBatchItem struct {
	policy.PublicityItem
	Amount string
}

// policyPublicityList is the public 公示 page: every batch with its
// recipients and amounts, and an objection form on each recipient while the
// window is open. No sign-in is needed to object.
func (s *Server) policyPublicityList(w http.ResponseWriter, r *http.Request) {
	s.renderPublicity(w, r, http.StatusOK, nil, nil, "")
}

func (s *Server) renderPublicity(w http.ResponseWriter, r *http.Request, status int, values, errsOut map[string]string, done string) {
	ctx, lang := r.Context(), httpmw.Lang(r)
	bs, err := s.Policy.ListPublicity(ctx, policy.PublicityFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := policyPublicityData{Errors: errsOut, Values: values, Done: done}
	for _, b := range bs {
		pb := pvBatch{PublicityBatch: b, IsOpen: b.State == "open"}
		for _, it := range b.Items {
			pb.Items = append(pb.Items, pvBatchItem{PublicityItem: it, Amount: money.FormatYuanGrouped(it.AmountFen)})
		}
		d.Batches = append(d.Batches, pb)
	}
	s.render(w, r, status, "policy_publicity", i18n.M("政策兑现公示", "Publicity of policy payments").In(lang), d)
}

// policyPublicityObject records an objection to one recipient of a 公示.
// No sign-in is needed; the policy service limits objections per address,
// and a refusal is shown on the page with everything typed kept.
func (s *Server) policyPublicityObject() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, lang := r.Context(), httpmw.Lang(r)
		batch, err := policyPathID(r, "batch")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := r.ParseForm(); err != nil {
			s.fail(w, r, errs.Invalid("form", i18n.M("表单无法解析", "The form could not be read")))
			return
		}
		app, _ := strconv.ParseInt(r.PostFormValue("application"), 10, 64)
		in := policy.ObjectionInput{Name: r.PostFormValue("name"), Contact: r.PostFormValue("contact"), Reason: r.PostFormValue("reason")}
		values := map[string]string{"application": r.PostFormValue("application"), "name": in.Name, "contact": in.Contact, "reason": in.Reason}
		_, err = s.Policy.ObjectToPublicity(ctx, batch, app, in)
		if errors.Is(err, errs.ErrTooManyRequest) {
			s.renderPublicity(w, r, http.StatusTooManyRequests, values, map[string]string{"_form": errText(err, lang)}, "")
			return
		}
		if err == nil {
			s.setFlash(w, i18n.M("异议已提交，政策专员将核实处理；该企业的拨付在处理前暂停。", "Objection received; an officer will look into it, and the payment waits until then.").In(lang))
			redirect(w, r, "/policies/publicity")
			return
		}
		errsOut, ok := pvFormErrors(err, lang)
		if !ok {
			s.fail(w, r, err)
			return
		}
		s.renderPublicity(w, r, http.StatusUnprocessableEntity, values, errsOut, "")
	}
}
