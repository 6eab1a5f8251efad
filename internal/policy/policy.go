// Package policy is the policy supermarket (政策超市): policies written as
// rules over 一企一档 (internal/eligibility), versioned so that a published
// rule set never changes and every decision keeps the version it was made
// under; matching and what-if for one enterprise and the public calculator;
// simulation before publishing; pushes to newly eligible firms; fulfilment
// (政策兑现) — application, review on a working-day clock, second approval
// of large amounts, 公示 with an objection window, 异议, payment recorded
// once per enterprise, policy and period — and 免申即享 runs that pay
// eligible firms without any application; and the indicators.
//
// Sources: 《国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的
// 指导意见》(国发〔2024〕3号) asks for policies to be pushed to the firms
// they fit and paid 免申即享 where the government already holds the data;
// 《优化营商环境条例》(国务院令第722号) asks for support policies to be
// published with their conditions and for materials the government holds
// not to be asked for again. 公示 of recipients before payment follows the
// district's 专项资金 practice; its length and the objection period are
// configuration, not law.
package policy

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/eligibility"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/ratelimit"
	"github.com/qinqing/qinqing/internal/seal"
)

// Option is a coded choice with its bilingual name.
type Option struct {
	Code string   `json:"code"`
	Name i18n.Msg `json:"name"`
}

// Level is the government level that issued a policy.
type Level string

// The levels.
const (
	LevelNational  Level = "national"  // 国家
	LevelMunicipal Level = "municipal" // 市 (Chongqing)
	LevelDistrict  Level = "district"  // 区 (Beibei)
)

// Levels lists the levels in display order.
var Levels = []Option{
	{string(LevelNational), i18n.M("国家", "National")},
	{string(LevelMunicipal), i18n.M("市级", "Municipal")},
	{string(LevelDistrict), i18n.M("区级", "District")},
}

// Shelf is the supermarket shelf a policy sits on.
type Shelf string

// The shelves.
const (
	ShelfSubsidy    Shelf = "subsidy"    // 资金补贴
	ShelfTax        Shelf = "tax"        // 税费减免
	ShelfFinance    Shelf = "finance"    // 金融支持
	ShelfTalent     Shelf = "talent"     // 人才
	ShelfTech       Shelf = "tech"       // 科技创新
	ShelfLand       Shelf = "land"       // 用地
	ShelfMarket     Shelf = "market"     // 市场开拓
	ShelfEmployment Shelf = "employment" // 稳岗就业
	ShelfDigital    Shelf = "digital"    // 数字化转型
	ShelfStartup    Shelf = "startup"    // 创业扶持
)

// Shelves lists the shelves in display order.
var Shelves = []Option{
	{string(ShelfSubsidy), i18n.M("资金补贴", "Subsidies")},
	{string(ShelfTax), i18n.M("税费减免", "Tax and fee relief")},
	{string(ShelfFinance), i18n.M("金融支持", "Finance")},
	{string(ShelfTalent), i18n.M("人才", "Talent")},
	{string(ShelfTech), i18n.M("科技创新", "Technology and innovation")},
	{string(ShelfLand), i18n.M("用地", "Land")},
	{string(ShelfMarket), i18n.M("市场开拓", "Market development")},
	{string(ShelfEmployment), i18n.M("稳岗就业", "Jobs and employment")},
	{string(ShelfDigital), i18n.M("数字化转型", "Digital transformation")},
	{string(ShelfStartup), i18n.M("创业扶持", "Start-up support")},
}

// Mode is how an enterprise gets the benefit.
type Mode string

// The modes.
const (
	ModeApply   Mode = "apply"    // 申报: the enterprise applies, an officer reviews
	ModeNoApply Mode = "no_apply" // 免申即享: the platform finds eligible firms; nobody applies
	ModeFast    Mode = "fast"     // 快申快享: a short application, prefilled, decided quickly
)

// Modes lists the modes in display order.
var Modes = []Option{
	{string(ModeApply), i18n.M("申报兑现", "Apply")},
	{string(ModeNoApply), i18n.M("免申即享", "No application needed")},
	{string(ModeFast), i18n.M("快申快享", "Fast track")},
}

// BenefitKind says how a benefit's amount is set.
type BenefitKind string

// The benefit kinds.
const (
	BenefitFixed   BenefitKind = "fixed"   // a fixed amount
	BenefitFormula BenefitKind = "formula" // an expression over profile attributes, in yuan
	BenefitNone    BenefitKind = "none"    // no money paid by the platform (a tax relief, a service)
)

// BenefitKinds lists the benefit kinds.
var BenefitKinds = []Option{
	{string(BenefitFixed), i18n.M("固定金额", "Fixed amount")},
	{string(BenefitFormula), i18n.M("按公式计算", "Formula")},
	{string(BenefitNone), i18n.M("非资金类", "No payment")},
}

// Period is how often a benefit can be received: once, or once per year,
// quarter or month. An application or payment names its period as "once",
// "2026", "2026Q3" or "2026-09".
type Period string

// The periods.
const (
	PeriodOnce    Period = "once"
	PeriodYear    Period = "year"
	PeriodQuarter Period = "quarter"
	PeriodMonth   Period = "month"
)

// Periods lists the periods.
var Periods = []Option{
	{string(PeriodOnce), i18n.M("一次性", "Once")},
	{string(PeriodYear), i18n.M("每年", "Yearly")},
	{string(PeriodQuarter), i18n.M("每季度", "Quarterly")},
	{string(PeriodMonth), i18n.M("每月", "Monthly")},
}

// MaterialSources are where a material comes from: the applicant uploads
// it, or the platform already holds it in 一企一档 and never asks.
var MaterialSources = []Option{
	{"applicant", i18n.M("申请人提供", "Provided by the applicant")},
	{"profile", i18n.M("平台已有（一企一档）", "Held by the platform (registry)")},
}

// Status is a policy's place in its life.
type Status string

// The statuses.
const (
	StatusDraft       Status = "draft"       // never published
	StatusPublished   Status = "published"   // on the shelves
	StatusUnpublished Status = "unpublished" // taken off the shelves
)

// Statuses lists the statuses.
var Statuses = []Option{
	{string(StatusDraft), i18n.M("草稿", "Draft")},
	{string(StatusPublished), i18n.M("已发布", "Published")},
	{string(StatusUnpublished), i18n.M("已下架", "Unpublished")},
}

// VersionState is a version's state: a draft may be edited; a published
// version never changes (the database refuses).
type VersionState string

// The version states.
const (
	VersionDraft     VersionState = "draft"
	VersionPublished VersionState = "published"
)

// Label returns the display name of a code in opts, or the code itself.
func Label(opts []Option, code string) i18n.Msg {
	for _, o := range opts {
		if o.Code == code {
			return o.Name
		}
	}
	return i18n.M(code, code)
}

func has(opts []Option, code string) bool {
	for _, o := range opts {
		if o.Code == code {
			return true
		}
	}
	return false
}

// Policy is a policy with the version a reader is shown: the public sees
// the published version in effect today, staff the newest version
// (possibly a draft).
type Policy struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Status    Status    `json:"status"`
	Latest    int       `json:"latest_version"`    // the newest version's number (draft or published)
	Published int       `json:"published_version"` // the newest published version's number; 0 when none
	Rev       int       `json:"rev"`               // optimistic-concurrency revision, sent back as If-Match; every write bumps it
	Current   Version   `json:"current"`           // the version shown
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// HasDraft reports whether an unpublished draft version exists.
func (p Policy) HasDraft() bool { return p.Latest > p.Published }

// Version is one version of a policy's definition. Once published it is
// never changed: decisions and payments name the version they were made
// under.
type Version struct {
	PolicyID      int64        `json:"policy_id"`
	Number        int          `json:"number"`
	State         VersionState `json:"state"`
	EffectiveFrom string       `json:"effective_from,omitempty"` // set when published: the first day its rules apply
	Input                      // the definition, in the agreed JSON shape
	CreatedAt     time.Time    `json:"created_at"`
	CreatedBy     string       `json:"created_by"`
	PublishedAt   *time.Time   `json:"published_at,omitempty"`
	PublishedBy   string       `json:"published_by,omitempty"`

	rule    *eligibility.Rule
	formula *eligibility.Formula
}

// Rule returns the version's compiled conditions.
func (v *Version) Rule() *eligibility.Rule { return v.rule }

// ValidOn reports whether date (YYYY-MM-DD) lies in the policy's validity.
func (v *Version) ValidOn(date string) bool {
	return v.ValidFrom <= date && (v.ValidTo == "" || date <= v.ValidTo)
}

// Entitlement computes the amount p is entitled to under this version, in
// fen: the fixed amount or the formula's, limited by the cap. ok is false
// when the formula needs attributes p lacks (listed in missing); a benefit
// of kind none is 0 and ok.
func (v *Version) Entitlement(p *eligibility.Profile) (fen int64, missing []string, ok bool) {
	switch v.Benefit.Kind {
	case BenefitFixed:
		fen = v.Benefit.Amount.Fen
	case BenefitFormula:
		if v.formula == nil {
			return 0, nil, false
		}
		fen, missing, ok = v.formula.Eval(p)
		if !ok {
			return 0, missing, false
		}
	default:
		return 0, nil, true
	}
	if v.Benefit.Cap.Valid && fen > v.Benefit.Cap.Fen {
		fen = v.Benefit.Cap.Fen
	}
	return fen, nil, true
}

// Matcher gives enterprise profiles for evaluation: one enterprise's, or
// every enterprise's in turn. The eligibility index implements it over
// memory; LoadingMatcher reads the registry on each call.
type Matcher interface {
	// Profile returns the profile of one enterprise as of asOf. It returns
	// errs.ErrNotFound for an unknown enterprise.
	Profile(ctx context.Context, enterpriseID int64, asOf string) (*eligibility.Profile, error)
	// Scan calls fn with every enterprise's profile as of asOf, in id
	// order, until fn returns false.
	Scan(ctx context.Context, asOf string, fn func(enterpriseID int64, p *eligibility.Profile) bool) error
}

// Config tunes the service.
type Config struct {
	// SecondApprovalFen is the amount from which a second, different
	// officer must approve (default 100,000 yuan).
	SecondApprovalFen int64
	// ObjectionDays is how many calendar days after a rejection the
	// applicant may object (异议; default 15).
	ObjectionDays int
	// PublicityDays is the default length of a 公示 in working days
	// (default 5).
	PublicityDays int
	// DefaultTimeLimitDays is the review limit in working days for a
	// policy whose guide sets none (default 20).
	DefaultTimeLimitDays int
	// FastDays is the longest review limit of a 快申快享 application in
	// working days (default 3): the guide's limit applies when shorter.
	FastDays int
	// Seal encrypts bank account numbers at rest when configured.
	Seal *seal.Box
}

// DefaultFastDays is Config.FastDays when not set: 快申快享 applications
// are decided within 3 working days.
const DefaultFastDays = 3

func (c *Config) defaults() {
	if c.SecondApprovalFen == 0 {
		c.SecondApprovalFen = 100_000 * 100
	}
	if c.ObjectionDays == 0 {
		c.ObjectionDays = 15
	}
	if c.PublicityDays == 0 {
		c.PublicityDays = 5
	}
	if c.DefaultTimeLimitDays == 0 {
		c.DefaultTimeLimitDays = 20
	}
	if c.FastDays == 0 {
		c.FastDays = DefaultFastDays
	}
}

// Service is the policy supermarket.
type Service struct {
	db     *db.DB
	cal    *calendar.Calendar
	ents   *enterprise.Service
	notify *notify.Service
	match  Matcher
	cat    *eligibility.Catalogue
	cfg    Config
	log    *slog.Logger
	now    func() time.Time
	// objections counts public 公示 objections per client address.
	objections *ratelimit.Failures

	mu        sync.Mutex
	published map[versionKey]*Version // compiled published versions, which never change
}

// NewService returns the policy service. m gives enterprise profiles (nil:
// a LoadingMatcher over d); log may be nil.
func NewService(d *db.DB, cal *calendar.Calendar, es *enterprise.Service, n *notify.Service, m Matcher, cfg Config, log *slog.Logger) *Service {
	cfg.defaults()
	if m == nil {
		m = NewLoadingMatcher(es, eligibility.Default)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: d, cal: cal, ents: es, notify: n, match: m, cat: eligibility.Default, cfg: cfg, log: log,
		now: func() time.Time { return time.Now().UTC() }, published: map[versionKey]*Version{},
		objections: ratelimit.NewFailures(ObjectionsPerAddress, ObjectionWindow)}
}

// SetClock replaces the clock (tests and the demo history generator).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// SetMatcher replaces the matcher (when the eligibility index has loaded).
func (s *Service) SetMatcher(m Matcher) { s.match = m }

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// today is the current China date.
func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

// Today is the date in China by the service's clock: the date that decides
// which published version is in effect, for callers that default an as-of
// date or cache by day.
func (s *Service) Today() string { return s.today().String() }

func (s *Service) deny(ctx context.Context, action, objectType, id string) error {
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: action, ObjectType: objectType, ObjectID: id, Result: audit.ResultDenied})
	return errs.Forbidden()
}

var (
	errPolicyNotFound      = errs.NotFound(i18n.M("政策", "Policy"))
	errVersionNotFound     = errs.NotFound(i18n.M("政策版本", "Policy version"))
	errApplicationNotFound = errs.NotFound(i18n.M("政策兑现申请", "Policy application"))
	errRunNotFound         = errs.NotFound(i18n.M("免申即享批次", "No-application run"))
	errItemNotFound        = errs.NotFound(i18n.M("免申即享名单条目", "Run item"))
	errBatchNotFound       = errs.NotFound(i18n.M("公示批次", "Publicity batch"))
)

// errForbiddenAfter carries a refusal out of a transaction so that the
// denial is audited in its own.
var errForbiddenAfter = errs.Forbidden()

// ErrRevRequired asks for the revision a state change is based on (If-Match).
var ErrRevRequired = errs.New(errs.ErrPreconditionRequired, "version_required",
	i18n.M("请带上当前版本（If-Match）", "Send the current version (If-Match)"))

func errStale(have int) error {
	return errs.New(errs.ErrPrecondition, "stale_version", i18n.M(
		fmt.Sprintf("内容已被他人修改（当前版本 %d），请刷新后再操作", have),
		fmt.Sprintf("Someone else changed this (now version %d); reload before acting", have)))
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}
