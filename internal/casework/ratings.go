package casework

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

// Levels of 好差评 (国办发〔2019〕51号): 5 非常满意 … 1 非常不满意; 1 and 2 are 差评.
var Levels = map[int]i18n.Msg{
	5: i18n.M("非常满意", "Very satisfied"),
	4: i18n.M("满意", "Satisfied"),
	3: i18n.M("基本满意", "Fairly satisfied"),
	2: i18n.M("不满意", "Dissatisfied"),
	1: i18n.M("非常不满意", "Very dissatisfied"),
}

// Bad reports whether a level is a 差评.
func Bad(level int) bool { return level <= 2 }

// Rating is an applicant's evaluation of a case.
type Rating struct {
	ID       int64
	Level    int
	Comment  string
	RealName bool
	Excluded bool // a supervisor upheld the department's appeal: the rating was wrong or malicious
	RatedAt  time.Time
}

func loadRating(ctx context.Context, q db.Queryer, caseID int64) (*Rating, error) {
	var r Rating
	err := q.QueryRowContext(ctx, "SELECT id, level, comment, real_name, excluded, rated_at FROM ratings WHERE case_id = ?", caseID).
		Scan(&r.ID, &r.Level, &r.Comment, &r.RealName, &r.Excluded, &r.RatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("load rating", err)
	}
	return &r, nil
}

// Rate records the applicant's rating once the case is decided (one rating
// per case). A real-name 差评 opens a rectification task for the handling
// department due in the configured number of working days.
func (s *Service) Rate(ctx context.Context, no string, level int, comment string) (Rating, error) {
	p := identity.PrincipalFrom(ctx)
	if level < 1 || level > 5 {
		return Rating{}, errs.Invalid("level", i18n.M("评价等级为 1–5", "The level is 1 to 5"))
	}
	comment = strings.TrimSpace(comment)
	if len([]rune(comment)) > 500 {
		return Rating{}, errs.Invalid("comment", i18n.M("评价内容不能超过 500 字", "At most 500 characters"))
	}
	if Bad(level) && comment == "" {
		return Rating{}, errs.Invalid("comment", i18n.M("差评请说明原因，便于整改", "Say what went wrong so it can be put right"))
	}
	var out Rating
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		c, err := loadCase(ctx, tx, no)
		if err != nil {
			return err
		}
		if !IsApplicant(p, c) || c.Kind == "sub" {
			return errForbiddenAfter
		}
		if !c.State.Decided() {
			return errs.Conflict("not_decided", i18n.M("办结后才能评价", "You can rate once the case is decided"))
		}
		now, today := s.now(), s.today()
		out = Rating{Level: level, Comment: comment, RealName: true, RatedAt: now}
		var ratedBy any
		if p.AccountID != 0 {
			ratedBy = p.AccountID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO ratings (case_id, level, comment, rated_by, real_name, rated_at, rated_on)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.ID, level, comment, ratedBy, true, now, today.String()).Scan(&out.ID)
		if db.IsUniqueViolation(err) {
			return errs.Conflict("already_rated", i18n.M("该办件已评价过", "This case has already been rated"))
		}
		if err != nil {
			return err
		}
		if Bad(level) {
			due, err := s.cal.AddWorkingDays(today, s.cfg.RectifyDays)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO rectifications (rating_id, case_id, department_code, state, due_on, created_at, updated_at)
				VALUES (?, ?, ?, 'open', ?, ?, ?)`, out.ID, c.ID, c.Department, due.Date.String(), now, now); err != nil {
				return err
			}
			if err := notify.Post(ctx, tx, notify.Notice{Kind: "rating.bad", Link: "/rectifications",
				Title: i18n.M("收到差评，请在 "+due.Date.String()+" 前整改："+c.Title, "Bad rating to rectify by "+due.Date.String()+": "+c.Title),
				Body:  i18n.M(Levels[level].Zh+"："+comment, Levels[level].En+": "+comment)},
				notify.Department(c.Department), notify.Role(identity.RoleSupervisor)); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, audit.Event{Action: "case.rate", ObjectType: "case", ObjectID: no, Detail: map[string]any{"level": level}})
	})
	if err == errForbiddenAfter {
		return Rating{}, s.deny(ctx, "case.rate", no)
	}
	return out, err
}

// Rectification is the follow-up of a real-name 差评 (国办发〔2019〕51号:
// 差评件 are verified, rectified and answered; wrong or malicious ratings
// may be appealed).
type Rectification struct {
	ID              int64
	CaseNo          string
	CaseTitle       string
	Department      string
	Level           int
	Comment         string
	State           string // open, contacted, rectified, closed, appealed, upheld
	DueOn           string
	ContactNote     string
	RectifyNote     string
	ReturnVisitNote string
	AppealReason    string
	AppealNote      string
	ClosedOn        string
	Overdue         bool
	Version         int
}

// Rectification states and the moves between them.
var rectifyMoves = map[string]struct {
	from []string
	to   string
	who  string // department or supervisor
}{
	"contact":      {[]string{"open"}, "contacted", "department"},
	"rectify":      {[]string{"contacted"}, "rectified", "department"},
	"return_visit": {[]string{"rectified"}, "closed", "department"},
	"appeal":       {[]string{"open", "contacted"}, "appealed", "department"},
	"uphold":       {[]string{"appealed"}, "upheld", "supervisor"},
	"overrule":     {[]string{"appealed"}, "open", "supervisor"},
}

const rectCols = `r.id, k.case_no, k.title, r.department_code, g.level, g.comment, r.state, r.due_on, r.contact_note, r.rectify_note,
	r.return_visit_note, r.appeal_reason, r.appeal_note, COALESCE(r.closed_on, ''), r.version`

func scanRect(row interface{ Scan(...any) error }) (Rectification, error) {
	var r Rectification
	err := row.Scan(&r.ID, &r.CaseNo, &r.CaseTitle, &r.Department, &r.Level, &r.Comment, &r.State, &r.DueOn, &r.ContactNote,
		&r.RectifyNote, &r.ReturnVisitNote, &r.AppealReason, &r.AppealNote, &r.ClosedOn, &r.Version)
	return r, err
}

// Rectifications lists follow-ups: a reviewer sees its department's, a
// supervisor all (state "appealed" for the appeals to decide).
func (s *Service) Rectifications(ctx context.Context, state string) ([]Rectification, error) {
	p := identity.PrincipalFrom(ctx)
	q := "SELECT " + rectCols + " FROM rectifications r JOIN ratings g ON g.id = r.rating_id JOIN cases k ON k.id = r.case_id"
	var where []string
	var args []any
	switch {
	case p.Can(identity.PermCaseSupervise):
	case p.Can(identity.PermRectify) && p.DepartmentCode != "":
		where, args = append(where, "r.department_code = ?"), append(args, p.DepartmentCode)
	default:
		return nil, s.deny(ctx, "rectification.list", "")
	}
	if state != "" {
		where, args = append(where, "r.state = ?"), append(args, state)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := s.db.QueryContext(ctx, q+" ORDER BY r.due_on, r.id", args...)
	if err != nil {
		return nil, wrap("rectifications", err)
	}
	defer rows.Close()
	today := s.today().String()
	var out []Rectification
	for rows.Next() {
		r, err := scanRect(rows)
		if err != nil {
			return nil, err
		}
		r.Overdue = (r.State == "open" || r.State == "contacted" || r.State == "rectified") && today > r.DueOn
		out = append(out, r)
	}
	return out, rows.Err()
}

// Rectify moves a rectification: contact, rectify, return_visit (by the
// department), appeal (by the department), uphold or overrule (by a
// supervisor; upholding excludes the rating from satisfaction figures).
// Every move needs a note and the version the actor saw.
func (s *Service) Rectify(ctx context.Context, id int64, move, note string, ifVersion int) (Rectification, error) {
	p := identity.PrincipalFrom(ctx)
	mv, ok := rectifyMoves[move]
	if !ok {
		return Rectification{}, errs.Invalid("move", i18n.M("未知的整改操作", "Unknown move"))
	}
	note = strings.TrimSpace(note)
	if note == "" {
		return Rectification{}, errs.Invalid("note", i18n.M("请填写情况说明", "Describe what was done"))
	}
	if ifVersion == 0 {
		return Rectification{}, ErrVersionRequired
	}
	var out Rectification
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		r, err := scanRect(tx.QueryRowContext(ctx, "SELECT "+rectCols+` FROM rectifications r JOIN ratings g ON g.id = r.rating_id
			JOIN cases k ON k.id = r.case_id WHERE r.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return errs.NotFound(i18n.M("整改任务", "Rectification"))
		}
		if err != nil {
			return err
		}
		switch mv.who {
		case "department":
			if !(p.Can(identity.PermRectify) && p.DepartmentCode == r.Department) {
				return errForbiddenAfter
			}
		case "supervisor":
			if !p.Can(identity.PermCaseSupervise) {
				return errForbiddenAfter
			}
		}
		if r.Version != ifVersion {
			return errs.New(errs.ErrPrecondition, "stale_version", i18n.M("整改任务已被他人更新，请刷新", "Changed by someone else; reload"))
		}
		legal := false
		for _, f := range mv.from {
			legal = legal || f == r.State
		}
		if !legal {
			return errs.Conflict("illegal_transition", i18n.M("当前状态不能执行该操作", "Not allowed in the current state"))
		}
		col := map[string]string{"contact": "contact_note", "rectify": "rectify_note", "return_visit": "return_visit_note",
			"appeal": "appeal_reason", "uphold": "appeal_note", "overrule": "appeal_note"}[move]
		closed := any(nil)
		if mv.to == "closed" || mv.to == "upheld" {
			closed = s.today().String()
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rectifications SET state = ?, "+col+" = ?, closed_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			mv.to, note, closed, s.now(), id, ifVersion); err != nil {
			return err
		}
		if move == "uphold" {
			if _, err := tx.ExecContext(ctx, "UPDATE ratings SET excluded = TRUE WHERE id = (SELECT rating_id FROM rectifications WHERE id = ?)", id); err != nil {
				return err
			}
		}
		switch move {
		case "appeal":
			err = notify.Post(ctx, tx, notify.Notice{Kind: "rating.appeal", Link: "/rectifications?state=appealed",
				Title: i18n.M("部门对差评提出申诉："+r.CaseTitle, "Appeal against a bad rating: "+r.CaseTitle), Body: i18n.M(note, note)},
				notify.Role(identity.RoleSupervisor))
		case "uphold", "overrule":
			err = notify.Post(ctx, tx, notify.Notice{Kind: "rating.appeal_decided", Link: "/rectifications",
				Title: i18n.M("差评申诉已裁定："+r.CaseTitle, "Appeal decided: "+r.CaseTitle), Body: i18n.M(note, note)},
				notify.Department(r.Department))
		}
		if err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, audit.Event{Action: "rectification." + move, ObjectType: "rectification", ObjectID: fmt.Sprint(id),
			Detail: map[string]any{"from": r.State, "to": mv.to, "note": note}}); err != nil {
			return err
		}
		r.State, r.Version = mv.to, r.Version+1
		out = r
		return nil
	})
	if err == errForbiddenAfter {
		return Rectification{}, s.deny(ctx, "rectification."+move, fmt.Sprint(id))
	}
	return out, err
}
