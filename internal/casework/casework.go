// Package casework handles 办件: an enterprise's application for a matter
// or a 一件事 bundle, from intake through acceptance at the front desk
// (前台综合受理), decision by the department (后台分类办理) and delivery at one
// window (统一窗口出件), on a working-day clock that 补正 and special
// procedures stop, to the applicant's rating (好差评) and its follow-up.
//
// The legal frame: 《中华人民共和国行政许可法》第三十二条 (accept, refuse, or
// tell the applicant in one go everything to supplement), 第四十二条 and
// 第八十二条 (time limits in working days), 第四十五条 (hearings, tests,
// expert reviews are not counted); 国办发〔2019〕51号 for 好差评.
package casework

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/files"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/ratelimit"
)

// State is where a case stands.
type State string

// The states (the API uses these names).
const (
	Submitted           State = "submitted"
	InReview            State = "in_review"
	SupplementRequested State = "supplement_requested"
	Suspended           State = "suspended"
	Approved            State = "approved"
	Delivered           State = "delivered"
	Denied              State = "denied"
	NotAccepted         State = "not_accepted"
	Withdrawn           State = "withdrawn"
)

// Label is the state's display name.
func (s State) Label() i18n.Msg {
	switch s {
	case Submitted:
		return i18n.M("已提交，待受理", "Submitted, awaiting acceptance")
	case InReview:
		return i18n.M("审批中", "In review")
	case SupplementRequested:
		return i18n.M("待补正", "Supplement requested")
	case Suspended:
		return i18n.M("特别程序中", "Special procedure")
	case Approved:
		return i18n.M("已办结（准予），待出件", "Approved, awaiting delivery")
	case Delivered:
		return i18n.M("已出件", "Delivered")
	case Denied:
		return i18n.M("不予许可", "Denied")
	case NotAccepted:
		return i18n.M("不予受理", "Not accepted")
	case Withdrawn:
		return i18n.M("已撤回", "Withdrawn")
	}
	return i18n.M(string(s), string(s))
}

// Open reports whether the case still awaits a decision.
func (s State) Open() bool {
	return s == Submitted || s == InReview || s == SupplementRequested || s == Suspended
}

// Decided reports whether a decision (or refusal) ended the case.
func (s State) Decided() bool {
	return s == Approved || s == Delivered || s == Denied || s == NotAccepted
}

// Channel is how an application came in.
type Channel string

// The channels.
const (
	ChannelOnline       Channel = "online"
	ChannelApp          Channel = "app"
	ChannelWindow       Channel = "window"
	ChannelKiosk        Channel = "kiosk"
	ChannelServicePoint Channel = "service_point"
	ChannelMail         Channel = "mail"
)

// Channels lists every channel.
var Channels = []Channel{ChannelOnline, ChannelApp, ChannelWindow, ChannelKiosk, ChannelServicePoint, ChannelMail}

// Label is the channel's display name.
func (c Channel) Label() i18n.Msg {
	switch c {
	case ChannelOnline:
		return i18n.M("网上申报", "Online")
	case ChannelApp:
		return i18n.M("移动端申报", "Mobile app")
	case ChannelWindow:
		return i18n.M("窗口受理", "Service window")
	case ChannelKiosk:
		return i18n.M("自助终端", "Self-service kiosk")
	case ChannelServicePoint:
		return i18n.M("服务点代办", "Service-point agent")
	case ChannelMail:
		return i18n.M("邮寄申请", "By post")
	}
	return i18n.M(string(c), string(c))
}

// Remote reports whether the applicant applied without coming in.
func (c Channel) Remote() bool { return c == ChannelOnline || c == ChannelApp || c == ChannelMail }

// Spec is what a case needs to know of a matter version (or a bundle
// member), independent of how the catalogue stores it.
type Spec struct {
	Code          string
	Version       int
	Name          string
	Department    string
	CaseType      string // instant or promise
	CommittedDays int
	LegalDays     int
	MailDelivery  bool
	ResultName    string // the certificate issued on approval, if any
	Fields        []Field
	Materials     []Material
}

// Field is one input of an online application form.
type Field struct {
	Name     string
	Label    i18n.Msg
	Type     string // text, number, date, select
	Required bool
	Options  []string
	Prefill  string // the 一企一档 field that fills it: name, credit_code, legal_rep, address, contact_name, contact_phone, registered_capital_yuan, registered_on, industry_code, region_code
}

// Material is a required or optional document and where it comes from.
type Material struct {
	Seq       int
	Name      string
	Required  bool
	Source    string // applicant, license (an 电子证照 the firm holds), department, platform (一企一档)
	SourceRef string // the certificate name for license, the department code for department
	Members   []string
}

// BundleSpec is a 一件事 bundle: member matters handled in parallel under the
// bundle's own committed limit, one merged form and one de-duplicated
// material list.
type BundleSpec struct {
	Code          string
	Name          string
	CommittedDays int
	Department    string // the lead department
	Members       []Spec
	Fields        []Field
	Materials     []Material
}

// Catalogue gives the specs of matters and bundles.
type Catalogue interface {
	MatterSpec(ctx context.Context, code string) (Spec, error)
	BundleSpec(ctx context.Context, code string) (BundleSpec, error)
}

// PointRules says which matters a service point takes in for enterprises.
type PointRules interface {
	Accepts(ctx context.Context, point, matter string) (bool, error)
}

// Config tunes the service.
type Config struct {
	Region          string // the district's region code, the prefix of case numbers: 500109
	DocPrefix       string // prefix of document numbers: 北碚政服
	Issuer          string // the issuing authority printed on documents
	RectifyDays     int    // working days to rectify a 差评 (Chongqing practice: 5)
	MaxFilesPerCase int
	PublicURL       string // base URL for the progress page in QR codes
}

func (c *Config) defaults() {
	if c.Region == "" {
		c.Region = "500109"
	}
	if c.DocPrefix == "" {
		c.DocPrefix = "北碚政服"
	}
	if c.Issuer == "" {
		c.Issuer = "重庆市北碚区政务服务管理办公室"
	}
	if c.RectifyDays == 0 {
		c.RectifyDays = 5
	}
	if c.MaxFilesPerCase == 0 {
		c.MaxFilesPerCase = 30
	}
}

// Service handles cases.
type Service struct {
	db     *db.DB
	cal    *calendar.Calendar
	cat    Catalogue
	points PointRules
	ents   *enterprise.Service
	files  *files.Store
	cfg    Config
	log    *slog.Logger
	now    func() time.Time

	// lookups counts failed public progress lookups per client IP.
	lookups *ratelimit.Failures
}

// NewService returns the case service.
func NewService(d *db.DB, cal *calendar.Calendar, cat Catalogue, points PointRules, ents *enterprise.Service, fs *files.Store, cfg Config, log *slog.Logger) *Service {
	cfg.defaults()
	return &Service{db: d, cal: cal, cat: cat, points: points, ents: ents, files: fs, cfg: cfg, log: log,
		now: func() time.Time { return time.Now().UTC() }, lookups: ratelimit.NewFailures(LookupFailures, LookupWindow)}
}

// SetClock replaces the clock (tests and the generator of demo history).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// today is the current China date.
func (s *Service) today() calendar.Date { return calendar.DateOf(s.now()) }

func (s *Service) deny(ctx context.Context, action, caseNo string) error {
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: action, ObjectType: "case", ObjectID: caseNo, Result: audit.ResultDenied})
	return errs.Forbidden()
}

var errCaseNotFound = errs.NotFound(i18n.M("办件", "Case"))

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", op, err)
}

// Files is the upload store cases attach materials from.
func (s *Service) Files() *files.Store { return s.files }
