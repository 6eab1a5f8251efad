package policy

import (
	"context"
	"fmt"
	"slices"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
)

// IndicatorPeriod bounds the indicators: dates From to To, inclusive.
type IndicatorPeriod struct {
	From string
	To   string
}

// Indicator is one figure with the formula it is computed by.
type Indicator struct {
	Key     string
	Name    i18n.Msg
	Value   float64 // the number (a count, yuan, working days, or a percentage 0–100)
	Unit    i18n.Msg
	Display string   // formatted for people
	Formula i18n.Msg // how it is computed from the data
	// Numerator and Denominator, for ratios; Denominator 0 means no data
	// (Value is then 0 and Display "—").
	Numerator   float64
	Denominator float64
}

// Indicators are the policy supermarket's figures for a period.
type Indicators struct {
	Period IndicatorPeriod
	Items  []Indicator
}

// Get returns the indicator with key, and whether it exists.
func (in Indicators) Get(key string) (Indicator, bool) {
	for _, it := range in.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Indicator{}, false
}

// Indicators computes, from the data: policies live on To; enterprises
// eligible for at least one of them on To; applications submitted in the
// period; the approval rate of those decided in it; money paid in it; the
// median working days from application (or, for 免申即享, from the
// evaluation date) to payment; and the share of payments made without an
// application. Policy staff and supervisors only.
func (s *Service) Indicators(ctx context.Context, per IndicatorPeriod) (Indicators, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermPolicyRead) && !p.Can(identity.PermPolicyReview) {
		return Indicators{}, s.deny(ctx, "policy.indicators", "policy", "")
	}
	today := s.today()
	if per.To == "" {
		per.To = today.String()
	}
	if per.From == "" {
		per.From = fmt.Sprintf("%d-01-01", today.Year)
	}
	if !isDate(per.From) || !isDate(per.To) || per.To < per.From {
		return Indicators{}, errs.Invalid("period", i18n.M("统计期须为 YYYY-MM-DD 至 YYYY-MM-DD，且起始不晚于截止", "The period is YYYY-MM-DD to YYYY-MM-DD, start not after end"))
	}
	out := Indicators{Period: per}

	pols, err := s.livePolicies(ctx, per.To)
	if err != nil {
		return out, err
	}
	// reached counts firms eligible for any live policy; paid, those
	// eligible for one that pays money — tax reliefs reach nearly every
	// firm and would hide what the money policies reach.
	reached, reachedMoney := map[int64]struct{}{}, map[int64]struct{}{}
	for _, l := range pols {
		set, err := s.outcomes(ctx, l.version.rule, per.To)
		if err != nil {
			return out, err
		}
		pays := l.version.Benefit.Pays()
		for _, id := range set.Eligible {
			reached[id] = struct{}{}
			if pays {
				reachedMoney[id] = struct{}{}
			}
		}
	}
	matched := len(reached)
	var apps, approved, rejected int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM policy_applications WHERE submitted_at >= ? AND submitted_at < ?",
		dayStart(per.From), dayStart(nextDay(per.To))).Scan(&apps); err != nil {
		return out, wrap("count applications", err)
	}
	// An application's decision is its last approval (final, or confirmed
	// by the second officer) or rejection step, counted in the period it
	// was taken whatever happened since: a rejection under 异议 is still a
	// rejection, an approval in 公示 or paid still an approval.
	if err := s.db.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN s.action = 'reject' THEN 0 ELSE 1 END), 0),
		COALESCE(SUM(CASE WHEN s.action = 'reject' THEN 1 ELSE 0 END), 0)
		FROM policy_application_steps s JOIN (
			SELECT MAX(id) AS id FROM policy_application_steps
			WHERE action = 'reject' OR action = 'second_approve' OR (action = 'approve' AND to_state <> 'awaiting_second_approval')
			GROUP BY application_id) d ON d.id = s.id
		WHERE s.at >= ? AND s.at < ?`, dayStart(per.From), dayStart(nextDay(per.To))).Scan(&approved, &rejected); err != nil {
		return out, wrap("count decisions", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT policy_id, policy_version, amount_fen, started_on, paid_on, application_id IS NULL
		FROM policy_payments WHERE paid_on >= ? AND paid_on <= ?`, per.From, per.To)
	if err != nil {
		return out, wrap("payments", err)
	}
	type payRow struct {
		policy        int64
		version       int
		fen           int64
		started, paid string
		auto          bool
	}
	var pays []payRow
	for rows.Next() {
		var r payRow
		if err := rows.Scan(&r.policy, &r.version, &r.fen, &r.started, &r.paid, &r.auto); err != nil {
			rows.Close()
			return out, err
		}
		pays = append(pays, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	var paidFen int64
	var payments, noApply int
	var days []int
	for _, r := range pays {
		// A tax or fee saving is the firm's own, never money paid, even if
		// a record of one slipped in.
		v, err := s.version(ctx, r.policy, r.version)
		if err != nil {
			return out, err
		}
		if v.Benefit.Saving {
			continue
		}
		fen, started, paid, auto := r.fen, r.started, r.paid, r.auto
		paidFen += fen
		payments++
		if auto {
			noApply++
		}
		from, err1 := calendar.ParseDate(started)
		to, err2 := calendar.ParseDate(paid)
		if err1 == nil && err2 == nil && !to.Before(from) {
			n, _, err := s.cal.WorkingDaysBetween(from, to)
			if err != nil {
				return out, err
			}
			days = append(days, n)
		}
	}

	count := func(key string, v int, zh, en, fzh, fen string) {
		out.Items = append(out.Items, Indicator{Key: key, Name: i18n.M(zh, en), Value: float64(v), Display: fmt.Sprint(v),
			Formula: i18n.M(fzh, fen)})
	}
	count("policies_live", len(pols), "在架政策数", "Policies live",
		"截至统计期末已发布、生效且在有效期内的政策数", "published policies in effect and valid on the last day of the period")
	count("enterprises_matched", matched, "匹配企业数", "Enterprises matched",
		"统计期末至少符合一项在架政策全部条件的企业数", "enterprises eligible for at least one live policy on the last day of the period")
	count("enterprises_matched_money", len(reachedMoney), "匹配资金类政策企业数", "Enterprises matched by a money policy",
		"统计期末至少符合一项由平台拨付资金的在架政策（不含税费减免）全部条件的企业数",
		"enterprises eligible on the last day of the period for at least one live policy the platform pays money under (tax and fee savings excluded)")
	count("applications", apps, "兑现申请数", "Applications", "统计期内提交的政策兑现申请数", "applications submitted in the period")
	out.Items = append(out.Items, ratio("approval_rate", approved, approved+rejected, "审核通过率", "Approval rate",
		"统计期内核准的申请数 ÷（核准数 + 不予通过数）× 100%", "approved ÷ (approved + rejected) among applications decided in the period × 100%"))
	out.Items = append(out.Items, Indicator{Key: "money_paid", Name: i18n.M("兑现金额", "Money paid"), Value: float64(paidFen) / 100,
		Unit: i18n.M("元", "yuan"), Display: money.FormatYuanGrouped(paidFen) + " 元",
		Formula: i18n.M("统计期内拨付记录金额之和", "sum of the payments recorded with a payment date in the period")})
	med := Indicator{Key: "median_days_to_payment", Name: i18n.M("兑现用时中位数", "Median working days to payment"),
		Unit: i18n.M("个工作日", "working days"), Display: "—", Denominator: float64(len(days)),
		Formula: i18n.M("统计期内每笔拨付自申请提交日（免申即享自评估日）至拨付日的工作日数的中位数",
			"median of the working days from submission (for 免申即享, from the evaluation date) to payment, over payments in the period")}
	if len(days) > 0 {
		med.Value = median(days)
		med.Display = fmt.Sprint(med.Value)
	}
	out.Items = append(out.Items, med)
	out.Items = append(out.Items, ratio("share_no_application", noApply, payments, "免申即享占比", "Share paid without application",
		"统计期内免申即享拨付笔数 ÷ 全部拨付笔数 × 100%", "payments by 免申即享 runs ÷ all payments in the period × 100%"))
	return out, nil
}

func ratio(key string, num, den int, zh, en, fzh, fen string) Indicator {
	it := Indicator{Key: key, Name: i18n.M(zh, en), Unit: i18n.M("%", "%"), Numerator: float64(num), Denominator: float64(den),
		Display: "—", Formula: i18n.M(fzh, fen)}
	if den > 0 {
		it.Value = float64(num) * 100 / float64(den)
		it.Display = fmt.Sprintf("%.1f%%", it.Value)
	}
	return it
}

// median of working-day counts: the middle one, or the mean of the two
// middle ones.
func median(xs []int) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return float64(s[n/2])
	}
	return float64(s[n/2-1]+s[n/2]) / 2
}

// dayStart is midnight in China at the start of date, for timestamp bounds.
func dayStart(date string) any {
	d, err := calendar.ParseDate(date)
	if err != nil {
		return date
	}
	return d.Time().UTC()
}

func nextDay(date string) string {
	d, err := calendar.ParseDate(date)
	if err != nil {
		return date
	}
	return d.AddDays(1).String()
}
