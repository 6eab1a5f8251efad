package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
)

type caseTab struct {
	Queue  string
	Label  i18n.Msg
	Active bool
}

type caseRow struct {
	casework.Case
	Clock clockView
	Dept  string
}

type stateOpt struct {
	State casework.State
	Label i18n.Msg
}

type caseListData struct {
	Tabs     []caseTab
	Queue    string
	State    string
	Deadline string
	Q        string
	States   []stateOpt
	Rows     []caseRow
	Total    int
	Page     int
	Pages    int
	HasNext  bool
}

// caseTabs are the work queues a user has, the first being the default.
func caseTabs(p *identity.Principal) []caseTab {
	if p == nil {
		return nil
	}
	var tabs []caseTab
	add := func(q string, zh, en string) { tabs = append(tabs, caseTab{Queue: q, Label: i18n.M(zh, en)}) }
	if p.Can(identity.PermEnterpriseOwn) {
		add("mine", "我的办件", "My cases")
		return tabs
	}
	if p.Can(identity.PermCaseAccept) {
		add("accept", "待受理", "To accept")
	}
	if p.Can(identity.PermCaseReview) && p.DepartmentCode != "" {
		add("review", "待审批", "To decide")
	}
	if p.Can(identity.PermCaseDeliver) {
		add("deliver", "待出件", "To hand out")
	}
	if p.Role == identity.RoleAgent && p.ServicePoint != "" {
		add("point", "服务点办件", "This service point's cases")
		return tabs
	}
	if len(tabs) > 0 || p.Can(identity.PermCaseSupervise) {
		add("all", "全部", "All")
	}
	return tabs
}

var caseStates = []casework.State{casework.Submitted, casework.InReview, casework.SupplementRequested, casework.Suspended,
	casework.Approved, casework.Delivered, casework.Denied, casework.NotAccepted, casework.Withdrawn}

// caseList is 我的办件 for enterprise users and the work queues for staff,
// the most urgent first (the service sorts: overdue, at risk, by deadline).
func (s *Server) caseList(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	tabs := caseTabs(p)
	if len(tabs) == 0 {
		s.fail(w, r, errs.Forbidden())
		return
	}
	q := r.URL.Query()
	d := caseListData{Queue: q.Get("queue"), State: q.Get("state"), Deadline: q.Get("deadline"), Q: strings.TrimSpace(q.Get("q"))}
	if !slices.ContainsFunc(tabs, func(t caseTab) bool { return t.Queue == d.Queue }) {
		d.Queue = tabs[0].Queue
	}
	for i := range tabs {
		tabs[i].Active = tabs[i].Queue == d.Queue
	}
	d.Tabs = tabs
	for _, st := range caseStates {
		d.States = append(d.States, stateOpt{st, st.Label()})
	}
	if !slices.Contains(caseStates, casework.State(d.State)) {
		d.State = ""
	}
	if d.Deadline != "yellow" && d.Deadline != "red" && d.Deadline != "at_risk" {
		d.Deadline = ""
	}
	page := atoiDefault(q.Get("page"), 1)
	res, err := s.Cases.List(r.Context(), casework.Filter{Queue: d.Queue, State: casework.State(d.State), Deadline: d.Deadline, Q: d.Q, Page: page})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Rows = s.caseRows(r, res.Items)
	d.Total, d.Page = res.Total, res.Page
	d.Pages = (res.Total + res.PerPage - 1) / max(res.PerPage, 1)
	d.HasNext = res.Page < d.Pages
	title := i18n.M("办件", "Cases")
	if d.Queue == "mine" {
		title = i18n.M("我的办件", "My cases")
	}
	s.render(w, r, http.StatusOK, "case_list", title.In(httpmw.Lang(r)), d)
}

func (s *Server) caseRows(r *http.Request, items []casework.Case) []caseRow {
	depts := s.departmentNames(r.Context())
	rows := make([]caseRow, 0, len(items))
	for _, c := range items {
		dept := depts[c.Department]
		if dept == "" {
			dept = c.Department
		}
		rows = append(rows, caseRow{Case: c, Clock: clockOf(c), Dept: dept})
	}
	return rows
}

type inboxData struct {
	Items  []notify.Item
	Unread int
}

// inboxPage lists the user's notices, unread first.
func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	items, unread, err := s.Notify.Inbox(r.Context(), 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	slices.SortStableFunc(items, func(a, b notify.Item) int {
		switch {
		case a.Read == b.Read:
			return 0
		case !a.Read:
			return -1
		}
		return 1
	})
	s.render(w, r, http.StatusOK, "case_inbox", i18n.M("消息", "Inbox").In(httpmw.Lang(r)), inboxData{Items: items, Unread: unread})
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	if err := s.Notify.MarkAllRead(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, i18n.M("已全部标为已读", "All marked as read").In(httpmw.Lang(r)))
	redirect(w, r, "/inbox")
}

// rectStates names the follow-up states of a 差评.
type rectStateOpt struct {
	State string
	Label i18n.Msg
}

var rectStates = []rectStateOpt{
	{"open", i18n.M("待联系核实", "To contact")},
	{"contacted", i18n.M("已核实，待整改", "Contacted, to rectify")},
	{"rectified", i18n.M("已整改，待回访", "Rectified, to call back")},
	{"closed", i18n.M("已办结", "Closed")},
	{"appealed", i18n.M("申诉待裁定", "Appeal to decide")},
	{"upheld", i18n.M("申诉成立（不计入满意度）", "Appeal upheld (rating excluded)")},
}

func rectStateLabel(st string) i18n.Msg {
	for _, s := range rectStates {
		if s.State == st {
			return s.Label
		}
	}
	return i18n.M(st, st)
}

type rectMove struct {
	Move  string
	Label i18n.Msg
}

// rectMoves mirrors casework's rectification moves: contact, rectify and
// return visit (or appeal) by the department, uphold or overrule by a
// supervisor.
func rectMoves(p *identity.Principal, r casework.Rectification) []rectMove {
	var out []rectMove
	dept := p.Can(identity.PermRectify) && p.DepartmentCode == r.Department
	add := func(ok bool, move, zh, en string) {
		if ok {
			out = append(out, rectMove{move, i18n.M(zh, en)})
		}
	}
	add(dept && r.State == "open", "contact", "已联系核实", "Contacted and verified")
	add(dept && r.State == "contacted", "rectify", "已整改", "Rectified")
	add(dept && r.State == "rectified", "return_visit", "已回访", "Called back")
	add(dept && (r.State == "open" || r.State == "contacted"), "appeal", "申诉（评价不实或恶意）", "Appeal (wrong or malicious)")
	add(p.Can(identity.PermCaseSupervise) && r.State == "appealed", "uphold", "申诉成立", "Uphold the appeal")
	add(p.Can(identity.PermCaseSupervise) && r.State == "appealed", "overrule", "驳回申诉", "Overrule the appeal")
	return out
}

type rectRow struct {
	casework.Rectification
	LevelName  i18n.Msg
	StateLabel i18n.Msg
	Dept       string
	Moves      []rectMove
}

type rectData struct {
	State  string
	States []rectStateOpt
	Rows   []rectRow
	Alert  string
	FailID int64
	Note   string
}

func (s *Server) rectificationsPage(w http.ResponseWriter, r *http.Request) {
	s.renderRectifications(w, r, http.StatusOK, rectData{State: r.URL.Query().Get("state")})
}

func (s *Server) renderRectifications(w http.ResponseWriter, r *http.Request, status int, d rectData) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if !slices.ContainsFunc(rectStates, func(x rectStateOpt) bool { return x.State == d.State }) {
		d.State = ""
	}
	list, err := s.Cases.Rectifications(r.Context(), d.State)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	depts := s.departmentNames(r.Context())
	d.States = rectStates
	for _, x := range list {
		d.Rows = append(d.Rows, rectRow{Rectification: x, LevelName: casework.Levels[x.Level], StateLabel: rectStateLabel(x.State),
			Dept: depts[x.Department], Moves: rectMoves(p, x)})
	}
	s.render(w, r, status, "case_rectifications", i18n.M("差评整改", "Bad-rating follow-up").In(httpmw.Lang(r)), d)
}

func (s *Server) rectificationMove(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	lang := httpmw.Lang(r)
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	state := r.PostFormValue("state")
	note := r.PostFormValue("note")
	_, err := s.Cases.Rectify(r.Context(), id, r.PathValue("move"), note, version)
	if err == nil {
		s.setFlash(w, i18n.M("已记录", "Recorded").In(lang))
		back := "/rectifications"
		if state != "" {
			back += "?state=" + url.QueryEscape(state)
		}
		redirect(w, r, back)
		return
	}
	d := rectData{State: state, FailID: id, Note: note}
	status := http.StatusUnprocessableEntity
	var e *errs.Error
	switch {
	case errs.FieldsOf(err) != nil:
		for _, m := range errs.FieldsOf(err) {
			d.Alert = m.In(lang)
		}
	case errors.Is(err, errs.ErrPrecondition):
		status, d.Alert = http.StatusPreconditionFailed, i18n.M("整改任务已被他人更新，请刷新后再操作", "Changed by someone else; reload").In(lang)
	case errors.Is(err, errs.ErrPreconditionRequired):
		status, d.Alert = http.StatusPreconditionRequired, i18n.M("页面已过期，请刷新后再操作", "This page is out of date; reload it").In(lang)
	case errors.Is(err, errs.ErrConflict) && errors.As(err, &e):
		status, d.Alert = http.StatusConflict, e.Msg.In(lang)
	default:
		s.fail(w, r, err)
		return
	}
	s.renderRectifications(w, r, status, d)
}

type supervisionRow struct {
	casework.Overdue
	Name string
}

type supervisionData struct {
	Departments []supervisionRow
	Rows        []caseRow
	Total       int
	Page        int
	Pages       int
	HasNext     bool
}

// supervisionPage shows supervisors the deadline picture by department
// and the cases at risk or overdue.
func (s *Server) supervisionPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.requireUser(w, r)
	if !ok {
		return
	}
	if !p.Can(identity.PermCaseSupervise) {
		s.fail(w, r, errs.Forbidden())
		return
	}
	ctx := r.Context()
	sup, err := s.Cases.Supervision(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	depts := s.departmentNames(ctx)
	var d supervisionData
	for _, o := range sup {
		name := depts[o.Department]
		if name == "" {
			name = o.Department
		}
		d.Departments = append(d.Departments, supervisionRow{Overdue: o, Name: name})
	}
	res, err := s.Cases.List(ctx, casework.Filter{Queue: "supervise", Deadline: "at_risk", Page: atoiDefault(r.URL.Query().Get("page"), 1)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Rows = s.caseRows(r, res.Items)
	d.Total, d.Page = res.Total, res.Page
	d.Pages = (res.Total + res.PerPage - 1) / max(res.PerPage, 1)
	d.HasNext = res.Page < d.Pages
	s.render(w, r, http.StatusOK, "case_supervision", i18n.M("效能监管", "Supervision").In(httpmw.Lang(r)), d)
}
