package casework

import (
	"context"
	"errors"
	"fmt"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

// attach adds supplementary files to a case's materials.
func (s *Service) attach(ctx context.Context, tx *db.Tx, c Case, given map[int]string) error {
	if len(given) == 0 {
		return nil
	}
	if len(given) > s.cfg.MaxFilesPerCase {
		return errs.Invalid("files", i18n.M("文件过多", "Too many files"))
	}
	p := identity.PrincipalFrom(ctx)
	mats, err := loadMaterials(ctx, tx, c.ID)
	if err != nil {
		return err
	}
	next := 1
	for _, m := range mats {
		next = max(next, m.Seq+1)
	}
	f := errs.Fields{}
	for seq, id := range given {
		if err := s.fileUsable(ctx, p, id); err != nil {
			f.Add(fmt.Sprintf("materials.%d", seq), i18n.M("文件不存在或不是您上传的", "No such file among your uploads"))
			continue
		}
		res, err := tx.ExecContext(ctx, "UPDATE case_materials SET file_id = ?, status = 'provided' WHERE case_id = ? AND seq = ?", id, c.ID, seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 { // a document outside the original list
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_materials (case_id, seq, name, required, source, status, file_id, reused_from)
				VALUES (?, ?, ?, FALSE, 'applicant', 'provided', ?, '')`, c.ID, next, "补正材料", id); err != nil {
				return err
			}
			next++
		}
	}
	return f.Err()
}

// issueCertificate records the certificate an approval issues, so later
// applications of the enterprise never ask for it again (电子证照 reuse).
func (s *Service) issueCertificate(ctx context.Context, tx *db.Tx, c Case, number string, today calendar.Date) (string, string, error) {
	var name string
	if c.MatterCode != "" {
		spec, err := s.cat.MatterSpec(ctx, c.MatterCode)
		if err != nil && !errors.Is(err, errs.ErrNotFound) {
			return "", "", err
		}
		name = spec.ResultName
	}
	if name == "" {
		return "", "", nil
	}
	if number == "" {
		n, err := nextCounter(ctx, tx, fmt.Sprintf("cert:%s:%d", c.Department, today.Year))
		if err != nil {
			return "", "", err
		}
		number = fmt.Sprintf("%s%d%s%06d", s.cfg.Region, today.Year, c.Department, n)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO certificates (enterprise_id, name, number, issued_on, department_code, case_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.EnterpriseID, name, number, today.String(), c.Department, c.ID, s.now())
	if err != nil {
		return "", "", wrap("issue certificate", err)
	}
	return name, number, nil
}

// notifyAction tells the applicant (in-app and by SMS) and the staff who
// act next.
func (s *Service) notifyAction(ctx context.Context, tx *db.Tx, c Case, a Action, to State) error {
	link := "/cases/" + c.No
	ent := notify.Enterprise(c.EnterpriseID)
	post := func(kind string, title, body i18n.Msg, targets ...notify.Target) error {
		return notify.Post(ctx, tx, notify.Notice{Kind: kind, Title: title, Body: body, Link: link}, targets...)
	}
	sms := func(text string) error {
		return notify.Queue(ctx, tx, notify.Message{Channel: "sms", Recipient: c.ContactPhone, Body: "【亲清】" + text})
	}
	switch a.Name {
	case ActAccept:
		targets := []notify.Target{notify.Department(c.Department)}
		if c.Kind == "bundle" {
			subs, err := loadSubs(ctx, tx, c.ID)
			if err != nil {
				return err
			}
			targets = targets[:0]
			for _, sub := range subs {
				targets = append(targets, notify.Department(sub.Department))
			}
		}
		if err := post("case.to_review", i18n.M("新办件待审批："+c.Title, "New case to decide: "+c.Title), i18n.M(c.No+" "+c.Applicant, c.No+" "+c.Applicant), targets...); err != nil {
			return err
		}
		if err := post("case.accepted", i18n.M("申请已受理："+c.Title, "Application accepted: "+c.Title), i18n.M("办件编号 "+c.No, "Case "+c.No), ent); err != nil {
			return err
		}
		return sms(fmt.Sprintf("您的“%s”申请已受理，办件编号%s。", c.Title, c.No))
	case ActReject:
		if err := post("case.rejected", i18n.M("申请不予受理："+c.Title, "Application not accepted: "+c.Title), i18n.M(a.Reason, a.Reason), ent); err != nil {
			return err
		}
		return sms(fmt.Sprintf("您的“%s”申请不予受理，理由：%s。", c.Title, a.Reason))
	case ActRequestSupplement:
		if err := post("case.supplement", i18n.M("请补正材料："+c.Title, "Please supplement: "+c.Title), i18n.M(missingText(a.Missing), missingText(a.Missing)), ent); err != nil {
			return err
		}
		return sms(fmt.Sprintf("您的“%s”申请需要补正材料，请登录亲清平台查看一次性告知清单。", c.Title))
	case ActSupplement:
		return post("case.supplemented", i18n.M("申请人已补正："+c.Title, "Supplement received: "+c.Title), i18n.M(c.No, c.No),
			notify.Department(c.Department), notify.Role(identity.RoleWindowClerk))
	case ActApprove, ActDeny:
		if c.Kind == "sub" {
			return nil // the parent tells the applicant when all members are decided
		}
		title := i18n.M("申请已办结（准予）："+c.Title, "Approved: "+c.Title)
		if to == Denied {
			title = i18n.M("申请不予许可："+c.Title, "Denied: "+c.Title)
		}
		if err := post("case.decided", title, i18n.M(c.No, c.No), ent, notify.Role(identity.RoleWindowClerk)); err != nil {
			return err
		}
		return sms(fmt.Sprintf("您的“%s”申请已办结，请登录亲清平台查看结果并评价。", c.Title))
	case ActDeliver:
		if err := post("case.delivered", i18n.M("结果已送达："+c.Title, "Result delivered: "+c.Title), i18n.M(c.No, c.No), ent); err != nil {
			return err
		}
		if a.DeliveryMethod == "mail" {
			return sms(fmt.Sprintf("您的“%s”办理结果已免费邮寄，运单号%s。", c.Title, a.TrackingNo))
		}
		return nil
	}
	return nil
}

func missingText(items []MissingItem) string {
	s := ""
	for i, m := range items {
		if i > 0 {
			s += "；"
		}
		s += fmt.Sprintf("%d. %s", i+1, m.Name)
		if m.Requirement != "" {
			s += "（" + m.Requirement + "）"
		}
	}
	return s
}

// Certificate is an 电子证照 the platform issued.
type Certificate struct {
	Name, Number, IssuedOn, Department, CaseNo string
}

// Certificates lists an enterprise's certificates (those who may see its
// cases may see them).
func (s *Service) Certificates(ctx context.Context, enterpriseID int64) ([]Certificate, error) {
	p := identity.PrincipalFrom(ctx)
	if !(p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == enterpriseID) && !p.Can(identity.PermEnterpriseRead) {
		return nil, s.deny(ctx, "certificate.list", fmt.Sprint(enterpriseID))
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.name, c.number, c.issued_on, c.department_code, COALESCE(k.case_no, '')
		FROM certificates c LEFT JOIN cases k ON k.id = c.case_id WHERE c.enterprise_id = ? ORDER BY c.id`, enterpriseID)
	if err != nil {
		return nil, wrap("certificates", err)
	}
	defer rows.Close()
	var out []Certificate
	for rows.Next() {
		var c Certificate
		if err := rows.Scan(&c.Name, &c.Number, &c.IssuedOn, &c.Department, &c.CaseNo); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
