package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/standards"
)

// pushWindow is how many of the newest pushes the page reads (the most
// ListPushes returns); the street filter and paging work within it.
const pushWindow = 1000

// pushesPerPage is the page size of the pushes list.
const pushesPerPage = 30

// pushRow is one push as the list shows it.
type pushRow struct {
	EnterpriseID   int64
	EnterpriseName string
	RegionCode     string
	PolicyID       int64
	PolicyTitle    string
	Reason         i18n.Msg
	ReasonCode     string
	At             time.Time
	// What the firm did since, for readers of applications and payments.
	ApplicationID int64
	Progress      i18n.Msg
	ProgressCode  string // paid, applied, none
}

// pushPolicyOpt is a policy in the filter.
type pushPolicyOpt struct {
	ID       int64
	Title    string
	Selected bool
}

type policyPushesData struct {
	Rows         []pushRow
	Policies     []pushPolicyOpt
	Districts    []districtStreets
	PolicyID     int64
	Region       string
	EnterpriseID int64
	Enterprise   string // the firm filtered by, when there is one
	Ignored      bool   // a filter value was not understood and was dropped
	Total        int
	Capped       bool // the newest pushWindow pushes were read; older ones are not listed
	ShowProgress bool
	PairedOnly   bool // a liaison officer: only the firms it serves are listed
	Page, Pages  int
	HasNext      bool
}

var pushReasons = map[string]i18n.Msg{
	policy.PushPublished:      i18n.M("政策发布时符合", "Eligible when published"),
	policy.PushProfileChanged: i18n.M("企业档案变更后符合", "Eligible after a profile change"),
}

// policyPushes lists the enterprises told of a policy they qualify for,
// newest first, for liaison officers to follow up (the firms they serve)
// and policy staff to see the reach of a policy: by policy, by district or
// street, or for one firm.
func (s *Server) policyPushes(w http.ResponseWriter, r *http.Request) {
	p, ok := s.policyRequire(w, r, func(p *identity.Principal) bool { return p.Can(identity.PermPolicyPushes) })
	if !ok {
		return
	}
	ctx, lang, q := r.Context(), httpmw.Lang(r), r.URL.Query()
	d := policyPushesData{Districts: regionChoices(), ShowProgress: p.Can(identity.PermPolicyRead) || p.Can(identity.PermPolicyReview),
		PairedOnly: policy.PairedPushesOnly(p)}
	f := policy.PushFilter{Limit: pushWindow}
	if v := q.Get("policy"); v != "" {
		if f.PolicyID, _ = strconv.ParseInt(v, 10, 64); f.PolicyID <= 0 {
			f.PolicyID, d.Ignored = 0, true
		}
	}
	if v := q.Get("enterprise"); v != "" {
		if f.EnterpriseID, _ = strconv.ParseInt(v, 10, 64); f.EnterpriseID <= 0 {
			f.EnterpriseID, d.Ignored = 0, true
		}
	}
	var region standards.Region
	if v := strings.TrimSpace(q.Get("region")); v != "" {
		reg, known := standards.LookupRegion(v)
		if known && (reg.Level == standards.RegionDistrict || reg.Level == standards.RegionStreet) {
			region = reg
		} else {
			d.Ignored = true
		}
	}
	d.PolicyID, d.Region, d.EnterpriseID = f.PolicyID, region.Code, f.EnterpriseID

	pushes, err := s.Policy.ListPushes(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Capped = len(pushes) == pushWindow
	today := s.Policy.Today()
	var rows []pushRow
	for _, x := range pushes {
		row := pushRow{EnterpriseID: x.EnterpriseID, EnterpriseName: x.EnterpriseName, RegionCode: s.firmRegion(x.EnterpriseID, today),
			PolicyID: x.PolicyID, PolicyTitle: x.PolicyTitle, Reason: pushReasons[x.Reason], ReasonCode: x.Reason, At: x.CreatedAt}
		if region.Code != "" && !strings.HasPrefix(row.RegionCode, region.Code) {
			continue
		}
		rows = append(rows, row)
	}
	if f.EnterpriseID != 0 {
		e, err := s.Enterprise.Get(ctx, f.EnterpriseID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Enterprise = e.Name
	}

	d.Total = len(rows)
	d.Pages = max((d.Total+pushesPerPage-1)/pushesPerPage, 1)
	d.Page = min(max(atoiDefault(q.Get("page"), 1), 1), d.Pages)
	d.HasNext = d.Page < d.Pages
	from := (d.Page - 1) * pushesPerPage
	d.Rows = rows[from:min(from+pushesPerPage, len(rows))]

	titles, err := s.pushPolicyOptions(ctx, &d, lang)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range d.Rows {
		if t, ok := titles[d.Rows[i].PolicyID]; ok {
			d.Rows[i].PolicyTitle = t
		}
	}
	if d.ShowProgress {
		if err := s.pushProgress(ctx, d.Rows); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "policy_pushes", i18n.M("政策推送", "Policy pushes").In(lang), d)
}

// firmRegion is the enterprise's region code from the eligibility index
// (no query per firm); "" when the index does not hold it.
func (s *Server) firmRegion(id int64, asOf string) string {
	if s.Eligibility == nil {
		return ""
	}
	prof, ok := s.Eligibility.Profile(id, asOf)
	if !ok {
		return ""
	}
	v, _ := prof.Get("region_code")
	return v.Str
}

// pushPolicyOptions fills the policy filter with the published policies and
// returns their titles in the page's language by id.
func (s *Server) pushPolicyOptions(ctx context.Context, d *policyPushesData, lang i18n.Lang) (map[int64]string, error) {
	pg, err := s.Policy.List(ctx, policy.Filter{Status: policy.StatusPublished, PerPage: 100})
	if err != nil {
		return nil, err
	}
	titles := map[int64]string{}
	for _, pol := range pg.Items {
		t := i18n.M(pol.Current.Title, pol.Current.TitleEn).In(lang)
		titles[pol.ID] = t
		d.Policies = append(d.Policies, pushPolicyOpt{ID: pol.ID, Title: t, Selected: pol.ID == d.PolicyID})
	}
	return titles, nil
}

// pushProgress marks each row with what the firm did about the policy:
// paid (by application or 免申即享), applied (the latest application's
// state), or nothing yet. It reads each firm's applications and payments
// once, for the firms on the page only.
func (s *Server) pushProgress(ctx context.Context, rows []pushRow) error {
	type firm struct {
		apps map[int64]policy.Application
		pays map[int64]policy.Payment
	}
	firms := map[int64]*firm{}
	for i := range rows {
		row := &rows[i]
		fm, ok := firms[row.EnterpriseID]
		if !ok {
			fm = &firm{apps: map[int64]policy.Application{}, pays: map[int64]policy.Payment{}}
			apps, err := s.Policy.ListApplications(ctx, policy.AppFilter{EnterpriseID: row.EnterpriseID, PerPage: 100})
			if err != nil {
				return err
			}
			for _, a := range apps.Items { // newest first: keep the first of each policy
				if _, seen := fm.apps[a.PolicyID]; !seen {
					fm.apps[a.PolicyID] = a
				}
			}
			pays, err := s.Policy.ListPayments(ctx, policy.PaymentFilter{EnterpriseID: row.EnterpriseID})
			if err != nil {
				return err
			}
			for _, pay := range pays {
				if _, seen := fm.pays[pay.PolicyID]; !seen {
					fm.pays[pay.PolicyID] = pay
				}
			}
			firms[row.EnterpriseID] = fm
		}
		a, applied := fm.apps[row.PolicyID]
		if applied {
			row.ApplicationID = a.ID
		}
		switch pay, paid := fm.pays[row.PolicyID]; {
		case paid:
			amount := pvYuan(&pay.AmountFen)
			row.Progress, row.ProgressCode = i18n.M("已拨付 "+amount+" 元（"+pay.PaidOn+"）", "Paid "+amount+" yuan ("+pay.PaidOn+")"), "paid"
		case applied:
			st := a.State.Label()
			row.Progress, row.ProgressCode = i18n.M("已申请："+st.Zh, "Applied: "+st.En), "applied"
		default:
			row.Progress, row.ProgressCode = i18n.M("尚未申请或拨付", "Not applied or paid yet"), "none"
		}
	}
	return nil
}
