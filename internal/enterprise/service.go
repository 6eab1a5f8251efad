package enterprise

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// Service is the enterprise registry.
type Service struct {
	db       *db.DB
	now      func() time.Time
	loc      *time.Location
	onChange []func(ctx context.Context, id int64)
}

// NewService returns the registry over d.
func NewService(d *db.DB) *Service {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return &Service{db: d, now: func() time.Time { return time.Now().UTC() }, loc: loc}
}

// OnChange registers fn to run after a profile is created or changed and
// the change has committed (the eligibility index and push notifications
// listen here).
func (s *Service) OnChange(fn func(ctx context.Context, id int64)) {
	s.onChange = append(s.onChange, fn)
}

// today is the current date in China, which validity dates refer to.
func (s *Service) today() string { return s.now().In(s.loc).Format(time.DateOnly) }

func (s *Service) deny(ctx context.Context, action string, id any) error {
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: action, ObjectType: "enterprise", ObjectID: fmt.Sprint(id), Result: audit.ResultDenied})
	return errs.Forbidden()
}

// canRead reports whether the principal may see the profile of id.
func canRead(p *identity.Principal, id int64) bool {
	return p.Can(identity.PermEnterpriseRead) || (p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id)
}

// seesContact reports whether the principal sees contact details unmasked.
func seesContact(p *identity.Principal, id int64) bool {
	return p.Can(identity.PermEnterpriseWrite) || (p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id)
}

// Get returns the profile of id. It returns ErrNotFound for an unknown id
// and ErrForbidden when the caller may not see it (an enterprise user sees
// only its own).
func (s *Service) Get(ctx context.Context, id int64) (Enterprise, error) {
	p := identity.PrincipalFrom(ctx)
	if !canRead(p, id) {
		return Enterprise{}, s.deny(ctx, "enterprise.read", id)
	}
	e, err := load(ctx, s.db, "id = ?", id, s.today())
	if err != nil {
		return Enterprise{}, err
	}
	if !seesContact(p, id) {
		e.maskContact()
	}
	return e, nil
}

// GetByCreditCode returns the profile with the given (normalised) credit code.
func (s *Service) GetByCreditCode(ctx context.Context, code string) (Enterprise, error) {
	p := identity.PrincipalFrom(ctx)
	code = strings.ToUpper(strings.TrimSpace(code))
	e, err := load(ctx, s.db, "credit_code = ?", code, s.today())
	if err != nil {
		if errors.Is(err, errs.ErrNotFound) && !p.Can(identity.PermEnterpriseRead) {
			return Enterprise{}, s.deny(ctx, "enterprise.read", code)
		}
		return Enterprise{}, err
	}
	if !canRead(p, e.ID) {
		return Enterprise{}, s.deny(ctx, "enterprise.read", e.ID)
	}
	if !seesContact(p, e.ID) {
		e.maskContact()
	}
	return e, nil
}

// RevealContact returns the unmasked contact phone to staff whose work means
// calling the firm (reviewers, agents, liaison and policy officers); every
// reveal is audited. Supervisors and bank staff are refused.
func (s *Service) RevealContact(ctx context.Context, id int64) (string, error) {
	p := identity.PrincipalFrom(ctx)
	if !canRead(p, id) || !(p.Can(identity.PermContactReveal) || seesContact(p, id)) {
		return "", s.deny(ctx, "enterprise.reveal_contact", id)
	}
	var phone string
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		e, err := load(ctx, tx, "id = ?", id, s.today())
		if err != nil {
			return err
		}
		phone = e.ContactPhone
		return audit.Write(ctx, tx, audit.Event{Action: "enterprise.reveal_contact", ObjectType: "enterprise", ObjectID: fmt.Sprint(id)})
	})
	return phone, err
}

func (e *Enterprise) maskContact() {
	e.ContactPhone = MaskPhone(e.ContactPhone)
	e.ContactMasked = true
}

// MaskPhone keeps the first three and last four digits of a phone number.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-7) + string(r[len(r)-4:])
}

// FactsHistory returns every fiscal year on file, newest first.
func (s *Service) FactsHistory(ctx context.Context, id int64) ([]Facts, error) {
	if !canRead(identity.PrincipalFrom(ctx), id) {
		return nil, s.deny(ctx, "enterprise.read", id)
	}
	return factsOf(ctx, s.db, id, 100)
}

// Create registers a new enterprise. It returns ErrInvalid listing every bad
// field (credit code, region, industry …) and ErrConflict when the credit
// code is already registered.
func (s *Service) Create(ctx context.Context, in Input) (Enterprise, []Notice, error) {
	p := identity.PrincipalFrom(ctx)
	if !p.Can(identity.PermEnterpriseWrite) {
		return Enterprise{}, nil, s.deny(ctx, "enterprise.create", in.CreditCode.V)
	}
	var out Enterprise
	var notices []Notice
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		out, notices, err = s.createTx(ctx, tx, in, "staff")
		return err
	})
	if err != nil {
		return Enterprise{}, nil, err
	}
	s.changed(ctx, out.ID)
	return out, notices, nil
}

// createTx validates and inserts a profile inside tx; import reuses it.
func (s *Service) createTx(ctx context.Context, tx *db.Tx, in Input, source string) (Enterprise, []Notice, error) {
	today := s.today()
	f := errs.Fields{}
	for _, req := range []struct {
		set   bool
		field string
	}{{in.CreditCode.Set, "credit_code"}, {in.Name.Set, "name"}, {in.RegionCode.Set, "region_code"}, {in.IndustryCode.Set, "industry_code"}} {
		if !req.set {
			f.Add(req.field, i18n.M("必填", "Required"))
		}
	}
	var e Enterprise
	notices := in.apply(&e, f, today)
	facts := Facts{FiscalYear: s.defaultYear(in.FiscalYear, 0)}
	in.applyFacts(&facts, f)
	tags := s.resolveTags(ctx, tx, in, f)
	if in.FiscalYear != 0 {
		s.checkYear(in.FiscalYear, f)
	}
	if err := f.Err(); err != nil {
		return Enterprise{}, nil, err
	}
	now := s.now()
	if err := insertRow(ctx, tx, &e, now); err != nil {
		if db.IsUniqueViolation(err) {
			return Enterprise{}, nil, errs.Conflict("credit_code_taken", i18n.M(
				"统一社会信用代码 "+e.CreditCode+" 已登记", "Credit code "+e.CreditCode+" is already registered"))
		}
		return Enterprise{}, nil, fmt.Errorf("create enterprise: %w", err)
	}
	if in.factsSet() {
		facts.Source, facts.Verified = source, source == "staff" || source == "import"
		if err := upsertFacts(ctx, tx, e.ID, facts, now); err != nil {
			return Enterprise{}, nil, fmt.Errorf("create enterprise facts: %w", err)
		}
	}
	if tags != nil {
		if err := replaceTags(ctx, tx, e.ID, tags, now); err != nil {
			return Enterprise{}, nil, fmt.Errorf("create enterprise tags: %w", err)
		}
	}
	created, err := load(ctx, tx, "id = ?", e.ID, today)
	if err != nil {
		return Enterprise{}, nil, err
	}
	if err := writeDerived(ctx, tx, &created); err != nil {
		return Enterprise{}, nil, err
	}
	err = audit.Write(ctx, tx, audit.Event{Action: "enterprise.create", ObjectType: "enterprise", ObjectID: fmt.Sprint(e.ID),
		Detail: map[string]any{"after": snapshot(created), "source": source}})
	return created, notices, err
}

// Update changes part of a profile. Staff with write permission may change
// everything; an enterprise user only its own contact details and the facts
// of years staff have not verified. It returns ErrPrecondition when
// in.Version is stale.
func (s *Service) Update(ctx context.Context, id int64, in Input) (Enterprise, []Notice, error) {
	p := identity.PrincipalFrom(ctx)
	staff := p.Can(identity.PermEnterpriseWrite)
	own := p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id
	if !staff && !own {
		return Enterprise{}, nil, s.deny(ctx, "enterprise.update", id)
	}
	if !staff {
		f := errs.Fields{}
		for _, name := range in.setFields() {
			if !slices.Contains(selfServiceFields, name) {
				f.Add(name, i18n.M("该项为登记或核实信息，只能由工作人员修改", "This is registered or verified information that only staff can change"))
			}
		}
		if len(f) > 0 {
			_ = s.deny(ctx, "enterprise.update", id)
			return Enterprise{}, nil, f.Err()
		}
	}
	var out Enterprise
	var notices []Notice
	err := s.db.InTx(ctx, func(tx *db.Tx) error {
		var err error
		source := "self"
		if staff {
			source = "staff"
		}
		out, notices, err = s.updateTx(ctx, tx, id, in, source, p.Can(identity.PermEnterpriseVerify))
		return err
	})
	if errors.Is(err, errNoChange) {
		// Nothing differed: no new version, no audit record, no hooks.
		out, err = s.Get(ctx, id)
		return out, notices, err
	}
	if err != nil {
		return Enterprise{}, nil, err
	}
	s.changed(ctx, id)
	if !seesContact(p, id) {
		out.maskContact()
	}
	return out, notices, nil
}

// errNoChange rolls back an update that changed nothing.
var errNoChange = errors.New("no change")

// updateTx validates and applies a partial update inside tx; source says
// who supplies facts ("staff", "self", "import"): staff and imports may
// change verified years and, with verify, mark them verified. It returns
// errNoChange, which rolls the transaction back, when nothing differs.
func (s *Service) updateTx(ctx context.Context, tx *db.Tx, id int64, in Input, source string, verify bool) (Enterprise, []Notice, error) {
	staff := source != "self"
	today := s.today()
	if tx.Dialect() == db.Postgres {
		// Lock the profile before reading it, so that two concurrent updates
		// cannot both start from the old row and lose one another's change
		// (SQLite's single writer already serialises them).
		if _, err := tx.ExecContext(ctx, "SELECT id FROM enterprises WHERE id = ? FOR UPDATE", id); err != nil {
			return Enterprise{}, nil, fmt.Errorf("lock enterprise %d: %w", id, err)
		}
	}
	before, err := load(ctx, tx, "id = ?", id, today)
	if err != nil {
		return Enterprise{}, nil, err
	}
	if in.Version != 0 && in.Version != before.Version {
		return Enterprise{}, nil, errs.New(errs.ErrPrecondition, "stale_version", i18n.M(
			fmt.Sprintf("该企业档案已被他人修改（当前版本 %d，您编辑的是版本 %d），请刷新后重试", before.Version, in.Version),
			fmt.Sprintf("The profile was changed by someone else (now version %d, you edited version %d); reload and try again", before.Version, in.Version)))
	}
	e := before
	f := errs.Fields{}
	notices := in.apply(&e, f, today)
	tags := s.resolveTags(ctx, tx, in, f)
	var facts Facts
	if in.factsSet() {
		year := s.defaultYear(in.FiscalYear, before.Facts.FiscalYear)
		s.checkYear(year, f)
		facts = Facts{FiscalYear: year}
		years, err := factsOf(ctx, tx, id, 100)
		if err != nil {
			return Enterprise{}, nil, err
		}
		for _, y := range years {
			if y.FiscalYear == year {
				facts = y
			}
		}
		if facts.Verified && !staff {
			f.Add("fiscal_year", i18n.M(fmt.Sprintf("%d 年度数据已由工作人员核实，如需更正请联系窗口", year),
				fmt.Sprintf("The %d figures were verified by staff; contact the service window to correct them", year)))
		}
		in.applyFacts(&facts, f)
		facts.Source, facts.Verified = source, staff && verify
	}
	if err := f.Err(); err != nil {
		return Enterprise{}, nil, err
	}
	now := s.now()
	if err := updateRow(ctx, tx, &e, now); err != nil {
		if db.IsUniqueViolation(err) {
			return Enterprise{}, nil, errs.Conflict("credit_code_taken", i18n.M(
				"统一社会信用代码 "+e.CreditCode+" 已登记", "Credit code "+e.CreditCode+" is already registered"))
		}
		return Enterprise{}, nil, fmt.Errorf("update enterprise %d: %w", id, err)
	}
	if in.factsSet() {
		if err := upsertFacts(ctx, tx, id, facts, now); err != nil {
			return Enterprise{}, nil, fmt.Errorf("update facts: %w", err)
		}
	}
	if tags != nil {
		if err := replaceTags(ctx, tx, id, tags, now); err != nil {
			return Enterprise{}, nil, fmt.Errorf("update tags: %w", err)
		}
	}
	after, err := load(ctx, tx, "id = ?", id, today)
	if err != nil {
		return Enterprise{}, nil, err
	}
	if err := writeDerived(ctx, tx, &after); err != nil {
		return Enterprise{}, nil, err
	}
	b, a := diff(snapshot(before), snapshot(after))
	olderYear := in.factsSet() && facts.FiscalYear != after.Facts.FiscalYear
	if len(a) == 0 && !olderYear {
		return Enterprise{}, notices, errNoChange
	}
	if olderYear {
		// An older year changed; the snapshot shows only the latest.
		a["facts_changed_year"] = facts.FiscalYear
	}
	err = audit.Write(ctx, tx, audit.Event{Action: "enterprise.update", ObjectType: "enterprise", ObjectID: fmt.Sprint(id),
		Detail: map[string]any{"before": b, "after": a}})
	return after, notices, err
}

// defaultYear picks the fiscal year facts go to: the given one, else the
// latest on file, else last calendar year (the latest annual report).
func (s *Service) defaultYear(given, latest int) int {
	switch {
	case given != 0:
		return given
	case latest != 0:
		return latest
	}
	return s.now().In(s.loc).Year() - 1
}

func (s *Service) checkYear(y int, f errs.Fields) {
	if cur := s.now().In(s.loc).Year(); y < 1978 || y > cur {
		f.Add("fiscal_year", i18n.M(fmt.Sprintf("年度应在 1978–%d 之间", cur), fmt.Sprintf("Fiscal year must be between 1978 and %d", cur)))
	}
}

// resolveTags validates a tag replacement against the vocabulary; nil means
// the tags are not being changed.
func (s *Service) resolveTags(ctx context.Context, q db.Queryer, in Input, f errs.Fields) []Tag {
	if !in.Tags.Set {
		return nil
	}
	defs, err := tagDefs(ctx, q, false)
	if err != nil {
		f.Add("tags", i18n.M("无法读取资质标签目录", "Cannot read the tag vocabulary"))
		return nil
	}
	out := []Tag{}
	seen := map[string]bool{}
	for _, ti := range in.Tags.V {
		code := strings.TrimSpace(ti.Code)
		def, ok := findTag(defs, code)
		switch {
		case !ok:
			f.Add("tags", i18n.M("未知的资质标签："+code, "Unknown tag: "+code))
			continue
		case !def.Active:
			f.Add("tags", i18n.M("资质标签已停用："+def.Name.Zh, "Tag is retired: "+def.Name.En))
			continue
		case seen[def.Code]:
			continue
		}
		seen[def.Code] = true
		t := Tag{Code: def.Code, Name: def.Name, ValidFrom: strings.TrimSpace(ti.ValidFrom), ValidTo: strings.TrimSpace(ti.ValidTo), CertificateNo: strings.TrimSpace(ti.CertificateNo)}
		for _, d := range []string{t.ValidFrom, t.ValidTo} {
			if d != "" {
				if _, err := time.Parse(time.DateOnly, d); err != nil {
					f.Add("tags", i18n.M(def.Name.Zh+"：有效期日期格式应为 YYYY-MM-DD", def.Name.En+": validity dates must be YYYY-MM-DD"))
				}
			}
		}
		if t.ValidFrom != "" && t.ValidTo != "" && t.ValidTo < t.ValidFrom {
			f.Add("tags", i18n.M(def.Name.Zh+"：有效期截止日早于起始日", def.Name.En+": valid-to is before valid-from"))
		}
		out = append(out, t)
	}
	return out
}

func (s *Service) changed(ctx context.Context, id int64) {
	for _, fn := range s.onChange {
		fn(ctx, id)
	}
}
