package casework

import (
	"context"
	"fmt"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

// Clock is a case's working-day clock as of today (or its decision).
type Clock struct {
	Started  bool          // accepted: the clock runs from the day after acceptance
	Running  bool          // open and not paused
	Paused   bool          // 补正 or a special procedure stopped it
	Used     int           // working days counted so far
	Left     int           // committed days minus used (negative when overdue)
	Due      calendar.Date // the deadline, moved by pauses
	Status   string        // none, green, yellow (two thirds used), red (overdue), done
	OnTime   *bool         // for decided cases: decided on or before the deadline
	Fallback bool          // a year without a holiday schedule was counted weekends-only
}

// Deadline colours.
const (
	StatusNone   = "none"
	StatusGreen  = "green"
	StatusYellow = "yellow"
	StatusRed    = "red"
	StatusDone   = "done"
)

// StatusLabel names a deadline colour.
func StatusLabel(st string) i18n.Msg {
	switch st {
	case StatusGreen:
		return i18n.M("正常", "on track")
	case StatusYellow:
		return i18n.M("临近时限", "at risk")
	case StatusRed:
		return i18n.M("已超期", "overdue")
	case StatusDone:
		return i18n.M("已办结", "closed")
	}
	return i18n.M("未计时", "not started")
}

func spans(ps []Pause) []calendar.Span {
	out := make([]calendar.Span, 0, len(ps))
	for _, p := range ps {
		out = append(out, calendar.Span{From: p.From, To: p.To})
	}
	return out
}

// clockOf computes the clock of c with its pauses as of today.
func (s *Service) clockOf(c Case, pauses []Pause, today calendar.Date) (Clock, error) {
	var ck Clock
	if c.AcceptedOn.IsZero() || c.State == NotAccepted {
		ck.Status = StatusNone
		if c.State.Decided() || c.State == Withdrawn {
			ck.Status = StatusDone
		}
		return ck, nil
	}
	ck.Started = true
	end := today
	if !c.DecidedOn.IsZero() {
		end = c.DecidedOn
	}
	sp := spans(pauses)
	for i := range sp { // an open pause lasts until the end of the count
		if sp[i].To.IsZero() {
			sp[i].To = end
			ck.Paused = true
		}
	}
	used, res, err := s.cal.WorkingDaysAfterExcluding(c.AcceptedOn, end, sp)
	if err != nil {
		return ck, err
	}
	due, err := s.cal.AddWorkingDaysPaused(c.AcceptedOn, c.CommittedDays, sp)
	if err != nil {
		return ck, err
	}
	ck.Used, ck.Left, ck.Due = used, c.CommittedDays-used, due.Date
	ck.Fallback = res.Fallback || due.Fallback
	switch {
	case !c.State.Open():
		ck.Status = StatusDone
		if !c.DecidedOn.IsZero() {
			onTime := !c.DecidedOn.After(ck.Due)
			ck.OnTime = &onTime
		}
	case today.After(ck.Due):
		ck.Status = StatusRed
	case 3*used >= 2*c.CommittedDays:
		ck.Status = StatusYellow // two thirds of the committed time used
	default:
		ck.Status = StatusGreen
	}
	ck.Running = c.State.Open() && !ck.Paused
	return ck, nil
}

// startPause stops the clock from today.
func (s *Service) startPause(ctx context.Context, tx *db.Tx, c Case, kind, special, reason string, today calendar.Date) error {
	if reason == "" {
		reason = "补正材料"
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO case_pauses (case_id, kind, special_type, reason, from_on, started_at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.ID, kind, special, reason, today.String(), s.now())
	return wrap("start pause", err)
}

// endPause restarts the clock: the open pause ends today.
func (s *Service) endPause(ctx context.Context, tx *db.Tx, c Case, today calendar.Date) error {
	_, err := tx.ExecContext(ctx, `UPDATE case_pauses SET to_on = ?, ended_at = ? WHERE case_id = ? AND to_on IS NULL`,
		today.String(), s.now(), c.ID)
	return wrap("end pause", err)
}

// refreshDue recomputes the stored deadline after the pauses changed.
func (s *Service) refreshDue(ctx context.Context, tx *db.Tx, id int64) error {
	c, err := loadCaseByID(ctx, tx, id)
	if err != nil || c.AcceptedOn.IsZero() {
		return err
	}
	pauses, err := loadPauses(ctx, tx, id)
	if err != nil {
		return err
	}
	ck, err := s.clockOf(c, pauses, s.today())
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE cases SET due_on = ? WHERE id = ?", ck.Due.String(), id)
	return wrap("refresh due date", err)
}

// SweepReport says what a sweep found.
type SweepReport struct {
	Checked, Yellow, Red, Changed int
}

// Sweep recomputes the deadline colour of every open, accepted case,
// stores changes, and notifies the department (and supervisors, for
// overdue cases) when a case turns yellow or red. Run it periodically;
// each case is updated in its own short transaction.
func (s *Service) Sweep(ctx context.Context) (SweepReport, error) {
	var rep SweepReport
	rows, err := s.db.QueryContext(ctx, "SELECT "+caseCols+" FROM cases WHERE state IN ('in_review', 'supplement_requested', 'suspended') AND kind <> 'bundle' AND accepted_on IS NOT NULL")
	if err != nil {
		return rep, wrap("sweep", err)
	}
	var open []Case
	for rows.Next() {
		c, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return rep, err
		}
		open = append(open, c)
	}
	rows.Close()
	today := s.today()
	sys := identity.WithPrincipal(ctx, identity.System("deadline-sweep"))
	for _, c := range open {
		pauses, err := loadPauses(ctx, s.db, c.ID)
		if err != nil {
			return rep, err
		}
		ck, err := s.clockOf(c, pauses, today)
		if err != nil {
			return rep, err
		}
		rep.Checked++
		switch ck.Status {
		case StatusYellow:
			rep.Yellow++
		case StatusRed:
			rep.Red++
		}
		if ck.Status == c.DeadlineStatus {
			continue
		}
		rep.Changed++
		err = s.db.InTx(sys, func(tx *db.Tx) error {
			if _, err := tx.ExecContext(sys, "UPDATE cases SET deadline_status = ?, due_on = ? WHERE id = ?", ck.Status, ck.Due.String(), c.ID); err != nil {
				return err
			}
			var title i18n.Msg
			targets := []notify.Target{notify.Department(c.Department)}
			switch ck.Status {
			case StatusYellow:
				title = i18n.M("办件临近时限："+c.Title, "Case at risk: "+c.Title)
			case StatusRed:
				title = i18n.M("办件已超期："+c.Title, "Case overdue: "+c.Title)
				targets = append(targets, notify.Role(identity.RoleSupervisor))
			default:
				return nil
			}
			body := i18n.M(fmt.Sprintf("%s，承诺 %d 个工作日，已用 %d 个，办结时限 %s", c.No, c.CommittedDays, ck.Used, ck.Due),
				fmt.Sprintf("%s: %d working days committed, %d used, due %s", c.No, c.CommittedDays, ck.Used, ck.Due))
			return notify.Post(sys, tx, notify.Notice{Kind: "case.deadline." + ck.Status, Title: title, Body: body, Link: "/cases/" + c.No}, targets...)
		})
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}
