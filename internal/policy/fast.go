package policy

import (
	"strings"

	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// 快申快享 (ModeFast) is the short road between 申报 and 免申即享: the
// platform already holds what the decision needs (一企一档 and shared
// data), so a fast policy requires no material from the applicant (checked
// when a version is saved and published); the firm confirms a prefilled
// application at the amount the policy computes, and the department
// decides within the shorter of the guide's limit and the deployment's
// fast limit (Config.FastDays). 《优化营商环境条例》(国务院令第722号) asks
// that materials the government holds not be asked for again.

// IsFast reports whether applications under the version take the fast
// track.
func (v *Version) IsFast() bool { return v.Mode == ModeFast }

// reviewLimit is the number of working days an application under v has
// for its decision: the guide's 兑现时限 (the configured default when it
// sets none), for a fast policy no more than the fast limit.
func (s *Service) reviewLimit(v *Version) int {
	limit := v.Guide.TimeLimitDays
	if limit == 0 {
		limit = s.cfg.DefaultTimeLimitDays
	}
	if v.IsFast() {
		limit = min(limit, s.cfg.FastDays)
	}
	return limit
}

// checkFastAmount holds a fast application to the amount the policy
// computes: the firm confirms it and asks for nothing else. A policy that
// pays money but whose formula needs facts the registry lacks cannot be
// taken on the fast track until the profile is completed.
// entitled is the computed amount (nil when the registry lacks the facts
// named in missing).
func checkFastAmount(v *Version, entitled *int64, missing []string, requested int64, f errs.Fields) error {
	if !v.Benefit.Pays() {
		return nil
	}
	if entitled == nil {
		var zh, en []string
		for _, name := range missing {
			label := i18n.M(name, name)
			if a, known := eligibility.Default.Lookup(name); known {
				label = a.Label
			}
			zh, en = append(zh, label.Zh), append(en, label.En)
		}
		return errs.Conflict("fast_amount_unknown", i18n.M(
			"一企一档缺少核定金额所需的信息（"+strings.Join(zh, "、")+"），请先完善企业档案后再申请",
			"The registry lacks facts the amount needs ("+strings.Join(en, ", ")+"); complete the profile before applying"))
	}
	if requested != 0 && requested != *entitled {
		f.Add("requested_yuan", i18n.M("快申快享按政策核定金额兑现，无需填写申请金额",
			"A fast-track policy pays the amount the policy sets; leave the amount empty"))
	}
	return nil
}
