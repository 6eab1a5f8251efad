package casework

import (
	"context"
	"net/url"

	"github.com/qinqing/qinqing/internal/docs"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// ProgressURL is the public progress page of a case, encoded in the QR
// code of its documents.
func (s *Service) ProgressURL(c Case) string {
	return s.cfg.PublicURL + "/progress?" + url.Values{"no": {c.No}, "code": {c.QueryCode}}.Encode()
}

// Document renders a case's 受理通知书, 不予受理决定书 or 补正告知书 as PDF for
// those who may see the case. The document exists once the case reached
// the step that issues it.
func (s *Service) Document(ctx context.Context, no string, kind docs.Kind) ([]byte, error) {
	c, err := s.Get(ctx, no)
	if err != nil {
		return nil, err
	}
	d := docs.CaseDoc{Kind: kind, CaseNo: c.No, QueryCode: c.QueryCode, ProgressURL: s.ProgressURL(c), Applicant: c.Applicant,
		MatterName: c.Title, MatterCode: c.MatterCode, Department: s.departmentName(ctx, c.Department), Channel: c.Channel.Label().Zh,
		SubmittedOn: c.SubmittedOn.String(), Issuer: s.cfg.Issuer}
	if code, err := s.creditCodeOf(ctx, c.EnterpriseID); err == nil {
		d.CreditCode = code
	}
	notYet := errs.NotFound(i18n.M("该文书（办件尚未到这一步）", "This document (the case has not reached that step)"))
	switch kind {
	case docs.Acceptance:
		if c.AcceptDocNo == "" {
			return nil, notYet
		}
		d.DocNo, d.Date, d.CommittedDays = c.AcceptDocNo, c.AcceptedOn.String(), c.CommittedDays
		d.DueDate = c.Clock.Due.String()
		if d.DueDate == "" {
			d.DueDate = c.DueOn.String()
		}
	case docs.Rejection:
		if c.RejectDocNo == "" {
			return nil, notYet
		}
		d.DocNo, d.Date, d.Reason, d.LegalBasis = c.RejectDocNo, c.DecidedOn.String(), c.DecisionNote, c.LegalBasis
		if d.LegalBasis == "" {
			d.LegalBasis = "《中华人民共和国行政许可法》第三十二条第一款"
		}
	case docs.Supplement:
		if c.SupplementDocNo == "" || len(c.Missing) == 0 {
			return nil, notYet
		}
		d.DocNo, d.Date = c.SupplementDocNo, s.stepDate(c, ActRequestSupplement)
		for _, m := range c.Missing {
			d.Missing = append(d.Missing, docs.MissingItem{Name: m.Name, Requirement: m.Requirement})
		}
	default:
		return nil, errs.NotFound(i18n.M("文书", "Document"))
	}
	for _, st := range c.Steps {
		if (kind == docs.Acceptance && st.Action == ActAccept) || (kind == docs.Rejection && st.Action == ActReject) ||
			(kind == docs.Supplement && st.Action == ActRequestSupplement) {
			d.Clerk = st.Actor
		}
	}
	return docs.Render(d)
}

// stepDate is the China date of the latest step of an action.
func (s *Service) stepDate(c Case, action string) string {
	date := c.SubmittedOn.String()
	for _, st := range c.Steps {
		if st.Action == action {
			date = st.At.In(chinaTZ).Format("2006-01-02")
		}
	}
	return date
}

func (s *Service) creditCodeOf(ctx context.Context, id int64) (string, error) {
	var code string
	err := s.db.QueryRowContext(ctx, "SELECT credit_code FROM enterprises WHERE id = ?", id).Scan(&code)
	return code, err
}

// departmentName is a department's display name (its code if unknown).
func (s *Service) departmentName(ctx context.Context, code string) string {
	var name string
	if err := s.db.QueryRowContext(ctx, "SELECT name FROM departments WHERE code = ?", code).Scan(&name); err != nil {
		return code
	}
	return name
}
