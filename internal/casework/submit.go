package casework

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/money"
	"github.com/qinqing/qinqing/internal/notify"
)

// Submission is an application as it comes in.
type Submission struct {
	MatterCode    string // one of MatterCode and BundleCode
	BundleCode    string
	EnterpriseID  int64
	Channel       Channel
	Form          map[string]string
	Files         map[int]string // material seq → uploaded file id
	ContactName   string
	ContactPhone  string
	Authorization string // the agent's written authorisation (委托书) reference
}

// Submit files an application. Who may file, and how:
//   - an enterprise user, for its own enterprise, online, in the app or at a kiosk;
//   - a window clerk, for any enterprise, at the window or from a posted application;
//   - a service-point agent, for any enterprise that authorised it, only matters its point takes in.
//
// The form is prefilled from 一企一档; materials the platform already holds
// (the profile, a certificate an earlier case issued, documents another
// department provides) are never asked for. A bundle makes a parent case
// and one sub-case per member matter. It returns ErrInvalid listing every
// missing field or material.
func (s *Service) Submit(ctx context.Context, in Submission) (Case, error) {
	p := identity.PrincipalFrom(ctx)
	if err := s.checkFiler(ctx, p, &in); err != nil {
		return Case{}, err
	}
	var spec BundleSpec
	var err error
	switch {
	case in.MatterCode != "" && in.BundleCode != "":
		return Case{}, errs.Invalid("matter_code", i18n.M("事项和一件事只能选一个", "Give a matter or a bundle, not both"))
	case in.BundleCode != "":
		spec, err = s.cat.BundleSpec(ctx, in.BundleCode)
	case in.MatterCode != "":
		var m Spec
		m, err = s.cat.MatterSpec(ctx, in.MatterCode)
		spec = BundleSpec{Code: m.Code, Name: m.Name, CommittedDays: m.CommittedDays, Department: m.Department,
			Members: []Spec{m}, Fields: m.Fields, Materials: m.Materials}
	default:
		return Case{}, errs.Invalid("matter_code", i18n.M("请选择要办理的事项", "Choose a matter"))
	}
	if errors.Is(err, errs.ErrNotFound) {
		field := "matter_code"
		if in.BundleCode != "" {
			field = "bundle_code"
		}
		return Case{}, errs.Invalid(field, i18n.M("事项不存在或已停用", "No such active matter"))
	}
	if err != nil {
		return Case{}, err
	}
	if p.Role == identity.RoleAgent {
		for _, m := range spec.Members {
			ok, err := s.points.Accepts(ctx, p.ServicePoint, m.Code)
			if err != nil {
				return Case{}, err
			}
			if !ok {
				_ = s.deny(ctx, "case.submit", m.Code)
				return Case{}, errs.New(errs.ErrForbidden, "not_accepted_at_point", i18n.M(
					"本服务点不代办该事项："+m.Name, "This service point does not take in: "+m.Name))
			}
		}
	}
	ent, err := s.ents.Get(identity.WithPrincipal(ctx, identity.System("casework")), in.EnterpriseID)
	if err != nil {
		return Case{}, err
	}
	f := errs.Fields{}
	form := s.fillForm(spec.Fields, in.Form, ent, f)
	mats, err := s.resolveMaterials(ctx, p, spec.Materials, in.Files, ent.ID, f)
	if err != nil {
		return Case{}, err
	}
	if in.ContactPhone == "" {
		in.ContactPhone = ent.ContactPhone
	}
	if in.ContactName == "" {
		in.ContactName = ent.ContactName
	}
	if err := f.Err(); err != nil {
		return Case{}, err
	}

	now := s.now()
	today := s.today()
	var out Case
	err = s.db.InTx(ctx, func(tx *db.Tx) error {
		seq, err := nextCounter(ctx, tx, "case:"+s.cfg.Region+":"+compact(today))
		if err != nil {
			return err
		}
		parent := Case{
			No: fmt.Sprintf("%s-%s-%05d", s.cfg.Region, compact(today), seq), QueryCode: queryCode(), Kind: "single",
			Title: spec.Name, EnterpriseID: ent.ID, Applicant: ent.Name, ContactName: in.ContactName, ContactPhone: in.ContactPhone,
			Channel: in.Channel, FiledBy: p.AccountID, FiledByRole: p.Role, ServicePoint: p.ServicePoint,
			Authorization: in.Authorization, Department: spec.Department, State: Submitted, Form: form,
			CaseType: "promise", CommittedDays: spec.CommittedDays, SubmittedAt: now, SubmittedOn: today,
		}
		if in.BundleCode != "" {
			parent.Kind, parent.BundleCode = "bundle", spec.Code
			for _, m := range spec.Members {
				parent.LegalDays = max(parent.LegalDays, m.LegalDays)
			}
		} else {
			m := spec.Members[0]
			parent.MatterCode, parent.MatterVersion, parent.CaseType, parent.LegalDays = m.Code, m.Version, m.CaseType, m.LegalDays
		}
		if err := insertCase(ctx, tx, &parent); err != nil {
			return err
		}
		if err := insertMaterials(ctx, tx, parent.ID, mats); err != nil {
			return err
		}
		if err := insertStep(ctx, tx, parent, "submit", "", Submitted, "", map[string]any{"channel": in.Channel}, now); err != nil {
			return err
		}
		if parent.Kind == "bundle" {
			for i, m := range spec.Members {
				sub := parent
				sub.ID, sub.Kind, sub.ParentID = 0, "sub", parent.ID
				sub.No = fmt.Sprintf("%s-%02d", parent.No, i+1)
				sub.BundleCode, sub.MatterCode, sub.MatterVersion = spec.Code, m.Code, m.Version
				sub.Title, sub.Department, sub.CaseType, sub.LegalDays = m.Name, m.Department, m.CaseType, m.LegalDays
				sub.CommittedDays = spec.CommittedDays
				if err := insertCase(ctx, tx, &sub); err != nil {
					return err
				}
				if err := insertMaterials(ctx, tx, sub.ID, memberMaterials(mats, m.Code)); err != nil {
					return err
				}
				if err := insertStep(ctx, tx, sub, "submit", "", Submitted, "", map[string]any{"bundle": parent.No}, now); err != nil {
					return err
				}
			}
		}
		out = parent
		if err := notify.Post(ctx, tx, notify.Notice{Kind: "case.submitted", Link: "/cases/" + parent.No,
			Title: i18n.M("新的申请待受理："+parent.Title, "New application to accept: "+parent.Title),
			Body:  i18n.M(parent.Applicant+"（"+parent.No+"）", parent.Applicant+" ("+parent.No+")")}, notify.Role(identity.RoleWindowClerk)); err != nil {
			return err
		}
		if err := notify.Post(ctx, tx, notify.Notice{Kind: "case.submitted", Link: "/cases/" + parent.No,
			Title: i18n.M("申请已提交："+parent.Title, "Application submitted: "+parent.Title),
			Body:  i18n.M("办件编号 "+parent.No+"，查询码 "+parent.QueryCode, "Case "+parent.No+", query code "+parent.QueryCode)}, notify.Enterprise(ent.ID)); err != nil {
			return err
		}
		return audit.Write(ctx, tx, audit.Event{Action: "case.submit", ObjectType: "case", ObjectID: parent.No,
			Detail: map[string]any{"matter": parent.MatterCode, "bundle": parent.BundleCode, "enterprise_id": ent.ID, "channel": in.Channel}})
	})
	if err != nil {
		return Case{}, err
	}
	return s.Get(ctx, out.No)
}

// checkFiler applies who-may-file-what and fills the enterprise for
// enterprise users.
func (s *Service) checkFiler(ctx context.Context, p *identity.Principal, in *Submission) error {
	if !slices.Contains(Channels, in.Channel) {
		return errs.Invalid("channel", i18n.M("未知的申请渠道", "Unknown channel"))
	}
	switch {
	case p != nil && p.Role == identity.RoleSystem:
		// The platform itself: applications migrated from another system
		// or generated as demo history keep their original channel.
	case p.Can(identity.PermEnterpriseOwn):
		if in.EnterpriseID == 0 {
			in.EnterpriseID = p.EnterpriseID
		}
		if in.EnterpriseID != p.EnterpriseID {
			return s.deny(ctx, "case.submit", "")
		}
		if in.Channel != ChannelOnline && in.Channel != ChannelApp && in.Channel != ChannelKiosk {
			return errs.Invalid("channel", i18n.M("企业用户只能在线、移动端或自助终端申报", "Enterprise users apply online, in the app or at a kiosk"))
		}
	case p.Can(identity.PermCaseIntake) && p.Role == identity.RoleAgent:
		if in.Channel != ChannelServicePoint {
			return errs.Invalid("channel", i18n.M("代办员只能以服务点代办渠道申报", "Agents file through the service-point channel"))
		}
		if strings.TrimSpace(in.Authorization) == "" {
			return errs.Invalid("authorization", i18n.M("代办须有企业的授权委托书", "An agent needs the enterprise's written authorisation"))
		}
		if p.ServicePoint == "" {
			return s.deny(ctx, "case.submit", "")
		}
	case p.Can(identity.PermCaseIntake):
		if in.Channel != ChannelWindow && in.Channel != ChannelMail {
			return errs.Invalid("channel", i18n.M("窗口只能录入窗口或邮寄申请", "The window takes in window and posted applications"))
		}
	default:
		return s.deny(ctx, "case.submit", "")
	}
	if in.EnterpriseID == 0 {
		return errs.Invalid("credit_code", i18n.M("请选择申请企业", "Choose the applying enterprise"))
	}
	return nil
}

// fillForm validates the form and fills blank prefill fields from the
// enterprise profile, so nobody types what the platform knows.
func (s *Service) fillForm(fields []Field, given map[string]string, e enterprise.Enterprise, f errs.Fields) map[string]string {
	out := map[string]string{}
	known := map[string]bool{}
	for _, fd := range fields {
		known[fd.Name] = true
		v := strings.TrimSpace(given[fd.Name])
		if v == "" && fd.Prefill != "" {
			v = profileValue(e, fd.Prefill)
		}
		switch {
		case v == "" && fd.Required:
			f.Add("form."+fd.Name, i18n.M(fd.Label.Zh+"：必填", fd.Label.En+": required"))
			continue
		case v == "":
			continue
		case fd.Type == "select" && len(fd.Options) > 0 && !slices.Contains(fd.Options, v):
			f.Add("form."+fd.Name, i18n.M(fd.Label.Zh+"：请从选项中选择", fd.Label.En+": choose one of the options"))
		case fd.Type == "number":
			if _, err := strconv.ParseFloat(v, 64); err != nil {
				f.Add("form."+fd.Name, i18n.M(fd.Label.Zh+"：应为数字", fd.Label.En+": must be a number"))
			}
		case fd.Type == "date":
			if len(v) != 10 || v[4] != '-' || v[7] != '-' {
				f.Add("form."+fd.Name, i18n.M(fd.Label.Zh+"：日期格式应为 YYYY-MM-DD", fd.Label.En+": date as YYYY-MM-DD"))
			}
		}
		if len([]rune(v)) > 2000 {
			f.Add("form."+fd.Name, i18n.M(fd.Label.Zh+"：过长", fd.Label.En+": too long"))
		}
		out[fd.Name] = v
	}
	for k := range given {
		if !known[k] {
			f.Add("form."+k, i18n.M("表单中没有这一项", "No such form field"))
		}
	}
	return out
}

// profileValue reads a 一企一档 field for prefilling.
func profileValue(e enterprise.Enterprise, field string) string {
	switch field {
	case "name":
		return e.Name
	case "credit_code":
		return e.CreditCode
	case "legal_rep":
		return e.LegalRep
	case "address":
		return e.Address
	case "contact_name":
		return e.ContactName
	case "contact_phone":
		return e.ContactPhone
	case "registered_on":
		return e.RegisteredOn
	case "industry_code":
		return e.IndustryCode
	case "region_code":
		return e.RegionCode
	case "business_scope":
		return e.BusinessScope
	case "registered_capital_yuan":
		if e.RegisteredCapitalFen != nil {
			return money.FormatYuan(*e.RegisteredCapitalFen)
		}
	}
	return ""
}

// resolveMaterials decides how each material is satisfied: a certificate
// the firm holds, the profile, another department, or a file the filer
// uploaded. A required material the applicant must provide and did not is a
// field error ("materials.<seq>").
func (s *Service) resolveMaterials(ctx context.Context, p *identity.Principal, list []Material, given map[int]string, enterpriseID int64, f errs.Fields) ([]CaseMaterial, error) {
	if len(given) > s.cfg.MaxFilesPerCase {
		f.Add("files", i18n.M(fmt.Sprintf("一次申请最多上传 %d 个文件", s.cfg.MaxFilesPerCase), fmt.Sprintf("At most %d files per application", s.cfg.MaxFilesPerCase)))
	}
	held, err := s.certificatesOf(ctx, s.db, enterpriseID)
	if err != nil {
		return nil, err
	}
	var out []CaseMaterial
	for _, m := range list {
		cm := CaseMaterial{Seq: m.Seq, Name: m.Name, Required: m.Required, Source: m.Source}
		switch m.Source {
		case "platform":
			cm.Status, cm.ReusedFrom = "reused", "profile"
		case "department":
			cm.Status, cm.ReusedFrom = "shared", "department:"+m.SourceRef
		case "license":
			name := m.SourceRef
			if name == "" {
				name = m.Name
			}
			if no, ok := held[name]; ok {
				cm.Status, cm.ReusedFrom = "reused", "certificate:"+name+" "+no
				break
			}
			fallthrough
		default:
			id := given[m.Seq]
			switch {
			case id != "":
				if err := s.fileUsable(ctx, p, id); err != nil {
					f.Add(fmt.Sprintf("materials.%d", m.Seq), i18n.M(m.Name+"：文件不存在或不是您上传的", m.Name+": no such file among your uploads"))
					continue
				}
				cm.Status, cm.FileID = "provided", id
			case m.Required:
				f.Add(fmt.Sprintf("materials.%d", m.Seq), i18n.M(m.Name+"：请上传", m.Name+": please upload it"))
				continue
			default:
				cm.Status = "not_provided"
			}
		}
		out = append(out, cm)
	}
	for seq := range given {
		if !slices.ContainsFunc(list, func(m Material) bool { return m.Seq == seq }) {
			f.Add(fmt.Sprintf("materials.%d", seq), i18n.M("没有这一项材料", "No such material"))
		}
	}
	// Remember which members each material belongs to for the sub-cases.
	for i := range out {
		for _, m := range list {
			if m.Seq == out[i].Seq {
				out[i].memberOf = m.Members
			}
		}
	}
	return out, nil
}

// fileUsable checks that the caller may attach the file: one they
// uploaded (the platform itself may attach any stored file).
func (s *Service) fileUsable(ctx context.Context, p *identity.Principal, id string) error {
	if p != nil && p.Role == identity.RoleSystem {
		_, err := s.files.Meta(ctx, id)
		return err
	}
	_, err := s.files.Owned(ctx, id, p.AccountID)
	return err
}

// memberMaterials picks a sub-case's materials from the bundle's list.
func memberMaterials(all []CaseMaterial, member string) []CaseMaterial {
	var out []CaseMaterial
	for _, m := range all {
		if len(m.memberOf) == 0 || slices.Contains(m.memberOf, member) {
			out = append(out, m)
		}
	}
	return out
}

// certificatesOf maps certificate names the enterprise holds to numbers.
func (s *Service) certificatesOf(ctx context.Context, q db.Queryer, enterpriseID int64) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name, number FROM certificates WHERE enterprise_id = ? ORDER BY id", enterpriseID)
	if err != nil {
		return nil, wrap("certificates", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, no string
		if err := rows.Scan(&name, &no); err != nil {
			return nil, err
		}
		out[name] = no
	}
	return out, rows.Err()
}

func insertCase(ctx context.Context, tx *db.Tx, c *Case) error {
	form, _ := json.Marshal(c.Form)
	now := c.SubmittedAt
	var parent, filedBy any
	if c.ParentID != 0 {
		parent = c.ParentID
	}
	if c.FiledBy != 0 {
		filedBy = c.FiledBy
	}
	err := tx.QueryRowContext(ctx, `INSERT INTO cases (case_no, query_code, kind, parent_id, matter_code, matter_version, bundle_code,
		title, enterprise_id, applicant_name, contact_name, contact_phone, channel, filed_by, filed_by_role, service_point_code,
		authorization_note, department_code, state, form, case_type, committed_days, legal_days, submitted_at, submitted_on,
		version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		c.No, c.QueryCode, c.Kind, parent, nullStr(c.MatterCode), nullInt(c.MatterVersion), nullStr(c.BundleCode),
		c.Title, c.EnterpriseID, c.Applicant, c.ContactName, c.ContactPhone, string(c.Channel), filedBy, string(c.FiledByRole),
		nullStr(c.ServicePoint), c.Authorization, c.Department, string(c.State), string(form), c.CaseType, c.CommittedDays,
		c.LegalDays, now, c.SubmittedOn.String(), now, now).Scan(&c.ID)
	c.Version = 1
	return wrap("insert case", err)
}

func insertMaterials(ctx context.Context, tx *db.Tx, caseID int64, mats []CaseMaterial) error {
	for _, m := range mats {
		var file any
		if m.FileID != "" {
			file = m.FileID
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_materials (case_id, seq, name, required, source, status, file_id, reused_from)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, caseID, m.Seq, m.Name, m.Required, m.Source, m.Status, file, m.ReusedFrom); err != nil {
			return wrap("insert material", err)
		}
	}
	return nil
}

// queryAlphabet avoids characters that are easily confused (0/O, 1/I/L).
const queryAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// queryCode is the 6-character code that, with the case number, opens the
// public progress page; 31^6 ≈ 8.9e8 possibilities per case number.
func queryCode() string {
	b := make([]byte, 6)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(queryAlphabet))))
		if err != nil {
			panic(err)
		}
		b[i] = queryAlphabet[n.Int64()]
	}
	return string(b)
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}
