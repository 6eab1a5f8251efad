package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
)

// fillServices adds rows to the government-service tables (calendar,
// cases and what goes with them) so the backup round trip covers them.
func fillServices(t testing.TB, d *db.DB, ent, applicant, reviewer int64, t0 time.Time) {
	t.Helper()
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		var err error
		exec := func(q string, args ...any) {
			if err == nil {
				_, err = tx.ExecContext(ctx, q, args...)
			}
		}
		var c1, c2, r1, n1 int64
		insertID := func(id *int64, q string, args ...any) {
			if err == nil {
				err = tx.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(id)
			}
		}
		exec(`INSERT INTO holiday_years (year, data, loaded_at, loaded_by) VALUES (?, ?, ?, ?)`, 2027,
			`{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`, t0, "admin")
		exec(`INSERT INTO files (id, size, mime, ext, created_at) VALUES (?, 1234, 'application/pdf', 'pdf', ?)`,
			"5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", t0)
		exec(`INSERT INTO file_owners (file_id, account_id, original_name, uploaded_at) VALUES (?, ?, '营业执照副本.pdf', ?)`,
			"5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", applicant, t0)
		exec(`INSERT INTO counters (name, last) VALUES ('case:500109:20250314', 2), ('doc:受:2025', 17)`)
		const kase = `INSERT INTO cases (case_no, query_code, kind, parent_id, matter_code, matter_version, bundle_code, title,
			enterprise_id, applicant_name, channel, filed_by, filed_by_role, department_code, state, form, case_type,
			committed_days, legal_days, submitted_at, submitted_on, accepted_at, accepted_on, accept_doc_no, due_on, decided_at,
			decided_on, decision, certificate_name, certificate_no, deadline_status, version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		insertID(&c1, kase, "500109-20250314-00001", "K7M9PQ", "bundle", nil, nil, nil, "KBQY", "开办企业一件事", ent, "杭州青山绿水科技有限公司",
			"online", applicant, "enterprise", "FGW", "approved", `{"企业名称":"青山绿水"}`, "promise", 2, 20, t0, "2025-03-14",
			t0, "2025-03-14", "北碚政服受〔2025〕第000017号", "2025-03-18", t0.Add(24*time.Hour), "2025-03-15", "approved", "", "", "done", 4, t0, t0)
		insertID(&c2, kase, "500109-20250314-00001-01", "K7M9PQ", "sub", c1, "001", 2, "KBQY", "企业设立登记", ent, "杭州青山绿水科技有限公司",
			"online", applicant, "enterprise", "FGW", "approved", `{}`, "promise", 2, 15, t0, "2025-03-14",
			t0, "2025-03-14", "", "2025-03-18", t0.Add(24*time.Hour), "2025-03-15", "approved", "营业执照", "500109202500001", "done", 3, t0, t0)
		exec(`INSERT INTO case_steps (case_id, action, from_state, to_state, actor_id, actor, role, department_code, opinion, detail, at)
			VALUES (?, 'submit', '', 'submitted', ?, 'qingshan', 'enterprise', '', '', '{}', ?), (?, 'approve', 'in_review', 'approved', ?, 'fgw_li', 'reviewer', 'FGW', '符合条件', '{"certificate":"营业执照"}', ?)`,
			c1, applicant, t0, c2, reviewer, t0.Add(time.Hour))
		exec(`INSERT INTO case_pauses (case_id, kind, special_type, reason, from_on, to_on, started_at, ended_at) VALUES (?, 'supplement', '', '补正章程', '2025-03-14', '2025-03-14', ?, ?)`, c2, t0, t0)
		exec(`INSERT INTO case_materials (case_id, seq, name, required, source, status, file_id, reused_from) VALUES
			(?, 1, '公司章程', ?, 'applicant', 'provided', ?, ''), (?, 2, '法定代表人信息', ?, 'platform', 'reused', NULL, 'profile')`,
			c1, true, "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", c1, false)
		exec(`INSERT INTO case_missing (case_id, round, seq, name, requirement) VALUES (?, 1, 1, '公司章程', '全体股东签字')`, c2)
		exec(`INSERT INTO certificates (enterprise_id, name, number, issued_on, department_code, case_id, created_at) VALUES (?, '营业执照', '500109202500001', '2025-03-15', 'FGW', ?, ?)`, ent, c2, t0)
		insertID(&r1, `INSERT INTO ratings (case_id, level, comment, rated_by, real_name, excluded, rated_at, rated_on) VALUES (?, 2, '等待时间长', ?, ?, ?, ?, '2025-03-16')`, c1, applicant, true, false, t0)
		exec(`INSERT INTO rectifications (rating_id, case_id, department_code, state, due_on, contact_note, version, created_at, updated_at)
			VALUES (?, ?, 'FGW', 'contacted', '2025-03-21', '已电话联系企业', 2, ?, ?)`, r1, c1, t0, t0)
		insertID(&n1, `INSERT INTO notifications (target_kind, target, kind, title, title_en, body, link, created_at) VALUES ('enterprise', '1', 'case.accepted', '申请已受理', 'Accepted', '', '/cases/x', ?)`, t0)
		exec(`INSERT INTO notification_reads (notification_id, account_id, read_at) VALUES (?, ?, ?)`, n1, applicant, t0)
		exec(`INSERT INTO outbox (channel, recipient, subject, body, status, attempts, last_error, not_before, created_at, sent_at)
			VALUES ('sms', '13800138000', '', '【亲清】您的申请已受理', 'sent', 1, '', ?, ?, ?)`, t0, t0, t0)
		exec(`UPDATE accounts SET service_point_code = 'caijiagang-centre' WHERE id = ?`, reviewer)
		var sp1 int64
		insertID(&sp1, `INSERT INTO service_points (code, name, name_en, tier, agency_kind, street_code, address, latitude, longitude,
			hours, phone, contact_person, svc_party, svc_government, svc_business, svc_life, description, active, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			"tiansheng-centre", "天生街道公共服务中心", "Tiansheng Street Public Service Centre", "street", "", "500109001",
			"重庆市北碚区天生街道天生路 85 号", 29.8230117, 106.4215309, "工作日 9:00-12:00 14:00-17:30", "023-68281003", "综合服务窗口",
			true, true, true, true, "一窗综合受理；\"帮办代办\"", true, t0, t0)
		exec(`INSERT INTO service_points (code, name, tier, agency_kind, street_code, latitude, longitude, svc_business, active, created_at, updated_at)
			VALUES ('bank-cqrcb', '重庆农商行北碚支行营业部', 'agency', 'bank', '500109002', NULL, NULL, ?, ?, ?, ?)`, true, false, t0, t0)
		exec(`INSERT INTO service_point_matters (point_id, matter_code) VALUES (?, 'QYKB-001'), (?, 'YHKH-001')`, sp1, sp1)
		exec(`INSERT INTO matters (code, basic_code, department_code, current_version, active, name, name_en, matter_type,
			zero_visit, max_one_visit, full_online, zero_materials, instant, created_at, updated_at)
			VALUES ('001', '000101001000', 'FGW', 2, ?, '企业设立登记', 'Company registration', '行政许可', ?, ?, ?, ?, ?, ?, ?)`,
			true, true, true, true, false, false, t0, t0)
		for v := 1; v <= 2; v++ {
			exec(`INSERT INTO matter_versions (matter_code, version, name, matter_type, department_code, exercise_level, legal_basis,
				legal_limit_days, committed_limit_days, case_type, visits, online_depth, mail_delivery, fee_fen, result_name, events,
				form_fields, created_at, created_by) VALUES ('001', ?, '企业设立登记', '行政许可', 'FGW', '区级', '《市场主体登记管理条例》第十九条',
				15, ?, 'promise', 0, 4, ?, NULL, '营业执照', '["企业开办"]', '[]', ?, 'admin')`, v, 4-v, true, t0)
			exec(`INSERT INTO matter_materials (matter_code, version, seq, name, required, form, copies, source, source_ref, note)
				VALUES ('001', ?, 1, '公司章程', ?, 'electronic', 1, 'applicant', '', '全体股东签署')`, v, true)
		}
		exec(`INSERT INTO matter_events (matter_code, event) VALUES ('001', '企业开办')`)
		exec(`INSERT INTO bundles (code, name, description, events, committed_limit_days, lead_department_code, active, form_fields, version, created_at, updated_at)
			VALUES ('KBQY', '开办企业一件事', '一次申请，多部门并联办理', '["企业开办"]', 2, 'FGW', ?, '[]', 1, ?, ?)`, true, t0, t0)
		exec(`INSERT INTO bundle_members (bundle_code, matter_code, seq) VALUES ('KBQY', '001', 1)`)
		return err
	})
	if err != nil {
		t.Fatalf("fill services: %v", err)
	}
}
