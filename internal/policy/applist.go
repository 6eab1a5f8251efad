package policy

import (
	"context"
	"strings"

	"github.com/qinqing/qinqing/internal/identity"
)

// AppFilter selects applications.
type AppFilter struct {
	PolicyID     int64
	EnterpriseID int64 // ignored for enterprise users: they see only their own firm's
	State        AppState
	// Queue selects what awaits an officer — in review, awaiting second
	// approval, objections — most urgent deadline first.
	Queue   bool
	Page    int // 1-based
	PerPage int // default 20, max 100
}

// AppPage is one page of applications.
type AppPage struct {
	Items   []Application
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p AppPage) Pages() int {
	if p.PerPage == 0 {
		return 0
	}
	return (p.Total + p.PerPage - 1) / p.PerPage
}

// queueStates are the states that wait for an officer.
var queueStates = []AppState{AppInReview, AppSecondApproval, AppObjected, AppOnHold}

// ListApplications lists applications: an enterprise user sees only its
// own firm's, policy officers and readers all; the queue is ordered by the
// working-day deadline (the clock stops while a supplement is awaited, so
// those wait outside the queue), everything else newest first. Items carry
// their clock.
func (s *Service) ListApplications(ctx context.Context, f AppFilter) (AppPage, error) {
	p := identity.PrincipalFrom(ctx)
	switch {
	case p.Can(identity.PermPolicyReview) || p.Can(identity.PermPolicyRead):
	case p.Can(identity.PermEnterpriseOwn):
		f.EnterpriseID = p.EnterpriseID
	default:
		return AppPage{}, s.deny(ctx, "policy.application.list", "policy_application", "")
	}
	where := []string{"1 = 1"}
	var args []any
	if f.PolicyID != 0 {
		where, args = append(where, "a.policy_id = ?"), append(args, f.PolicyID)
	}
	if f.EnterpriseID != 0 {
		where, args = append(where, "a.enterprise_id = ?"), append(args, f.EnterpriseID)
	}
	if f.State != "" {
		where, args = append(where, "a.state = ?"), append(args, string(f.State))
	}
	order := " ORDER BY a.submitted_at DESC, a.id DESC"
	if f.Queue {
		marks := make([]string, len(queueStates))
		for i, st := range queueStates {
			marks[i] = "?"
			args = append(args, string(st))
		}
		where = append(where, "a.state IN ("+strings.Join(marks, ", ")+")")
		order = " ORDER BY a.due_on, a.id"
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	f.PerPage = min(max(f.PerPage, 0), 100)
	if f.PerPage == 0 {
		f.PerPage = 20
	}
	f.Page = max(f.Page, 1)
	page := AppPage{Page: f.Page, PerPage: f.PerPage}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM policy_applications a"+cond, args...).Scan(&page.Total); err != nil {
		return AppPage{}, wrap("count applications", err)
	}
	rows, err := s.db.QueryContext(ctx, "SELECT "+appCols+appFrom+cond+order+" LIMIT ? OFFSET ?", append(args, f.PerPage, (f.Page-1)*f.PerPage)...)
	if err != nil {
		return AppPage{}, wrap("list applications", err)
	}
	for rows.Next() {
		a, err := scanApp(rows)
		if err != nil {
			rows.Close()
			return AppPage{}, err
		}
		page.Items = append(page.Items, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return AppPage{}, err
	}
	today := s.today()
	for i := range page.Items {
		a := &page.Items[i]
		if v, err := s.version(ctx, a.PolicyID, a.PolicyVersion); err == nil {
			a.PolicyTitle = v.Title
		}
		if a.Pauses, err = loadPauses(ctx, s.db, a.ID); err != nil {
			return AppPage{}, err
		}
		if a.Clock, err = s.clockOf(*a, today); err != nil {
			return AppPage{}, err
		}
	}
	return page, nil
}
