package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/db"
)

// fillPolicy adds rows to the policy-supermarket tables (policies and
// versions, an application with its steps, clock stop and materials, a 公示
// with an objection, a 免申即享 run, payments and a push) so the backup
// round trip covers them.
func fillPolicy(t testing.TB, d *db.DB, ent, applicant, officer int64, t0 time.Time) {
	t.Helper()
	ctx := context.Background()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		var err error
		exec := func(q string, args ...any) {
			if err == nil {
				_, err = tx.ExecContext(ctx, q, args...)
			}
		}
		insertID := func(id *int64, q string, args ...any) {
			if err == nil {
				err = tx.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(id)
			}
		}
		var p1, app, batch, run, item int64
		insertID(&p1, `INSERT INTO policies (code, status, latest_version, published_version, pushed_version, rev, created_at, updated_at)
			VALUES ('xwqy-sds-2023', 'published', 2, 1, 1, 4, ?, ?)`, t0, t0.Add(time.Hour))
		const ver = `INSERT INTO policy_versions (policy_id, number, state, effective_from, title, level, shelf, mode, department_code,
			valid_from, valid_to, definition, created_at, created_by, published_at, published_by) VALUES (?, ?, ?, ?, ?, 'national', 'tax', 'apply', 'FGW', '2023-01-01', ?, ?, ?, ?, ?, ?)`
		exec(ver, p1, 1, "published", "2025-01-01", "小型微利企业所得税优惠", "2027-12-31",
			`{"code":"xwqy-sds-2023","conditions":{"all":[{"attr":"taxable_income","op":"le","value":3000000}]}}`, t0, "杨帆", t0, "杨帆")
		exec(ver, p1, 2, "draft", nil, "小型微利企业所得税优惠（修订）", "", `{"code":"xwqy-sds-2023"}`, t0.Add(time.Hour), "杨帆", nil, "")
		insertID(&app, `INSERT INTO policy_applications (app_no, policy_id, policy_version, enterprise_id, period, state, resume_state,
			requested_fen, entitled_fen, approved_fen, first_approved_by, first_approver, form, eligibility, time_limit_days, submitted_at,
			submitted_on, due_on, decided_on, decision_note, objection_until, filed_by, rev, created_at, updated_at)
			VALUES ('ZC20250314000001', ?, 1, ?, '2025', 'paid', '', 2000000, 2000000, 2000000, ?, 'fgw_li', '{"name":"青山绿水"}',
			'{"outcome":"eligible"}', 15, ?, '2025-03-14', '2025-04-08', '2025-03-17', '', NULL, ?, 7, ?, ?)`,
			p1, ent, officer, t0, applicant, t0, t0.Add(48*time.Hour))
		exec(`INSERT INTO policy_application_steps (application_id, action, from_state, to_state, actor_id, actor, role, opinion, amount_fen, detail, at)
			VALUES (?, 'submit', '', 'in_review', ?, 'qingshan', 'enterprise', '', 2000000, '{}', ?),
			(?, 'approve', 'in_review', 'approved', ?, '李审核', 'policy_officer', '符合条件', 2000000, '{"threshold_fen":10000000}', ?)`,
			app, applicant, t0, app, officer, t0.Add(time.Hour))
		exec(`INSERT INTO policy_application_pauses (application_id, reason, from_on, to_on) VALUES (?, '补正：2024年度财务报表', '2025-03-14', '2025-03-14')`, app)
		exec(`INSERT INTO policy_application_materials (application_id, seq, name, required, source, file_id) VALUES
			(?, 0, '营业执照', ?, 'profile', NULL), (?, 1, '情况说明', ?, 'applicant', ?)`,
			app, true, app, false, "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")
		insertID(&batch, `INSERT INTO policy_publicity_batches (policy_id, starts_on, ends_on, days, state, created_by, created_at, closed_at)
			VALUES (?, '2025-03-14', '2025-03-21', 5, 'closed', '李审核', ?, ?)`, p1, t0, t0.Add(7*24*time.Hour))
		exec(`INSERT INTO policy_publicity_items (batch_id, application_id, amount_fen) VALUES (?, ?, 2000000)`, batch, app)
		exec(`INSERT INTO policy_publicity_objections (batch_id, application_id, name, contact, reason, state, decision_note, decided_by, created_at, decided_at)
			VALUES (?, ?, '张某', '13912345678', '从业人数不实', 'dismissed', '经核实无误', '李审核', ?, ?)`, batch, app, t0, t0.Add(time.Hour))
		insertID(&run, `INSERT INTO policy_runs (policy_id, policy_version, period, as_of, state, eligible, total_fen, created_by, created_at,
			confirmed_by, confirmed_at, rev) VALUES (?, 1, '2024', '2025-03-14', 'confirmed', 1, 500000, '杨帆', ?, '李审核', ?, 2)`, p1, t0, t0)
		insertID(&item, `INSERT INTO policy_run_items (run_id, enterprise_id, amount_fen, state, bank_name, account_name, account_no, account_tail,
			confirmed_by, confirmed_at) VALUES (?, ?, 500000, 'paid', '中国工商银行杭州分行', '杭州青山绿水科技有限公司', 'sealed:v1:AbCd', '0018', ?, ?)`,
			run, ent, applicant, t0)
		exec(`INSERT INTO policy_payments (enterprise_id, policy_id, period, policy_version, application_id, run_item_id, amount_fen, paid_on,
			reference, started_on, recorded_by, created_at) VALUES (?, ?, '2025', 1, ?, NULL, 2000000, '2025-03-24', 'GK2025032401', '2025-03-14', '李审核', ?),
			(?, ?, '2024', 1, NULL, ?, 500000, '2025-03-18', 'GK2025031801', '2025-03-14', '李审核', ?)`,
			ent, p1, app, t0, ent, p1, item, t0)
		exec(`INSERT INTO policy_pushes (policy_id, policy_version, enterprise_id, reason, created_at) VALUES (?, 1, ?, 'published', ?)`, p1, ent, t0)
		return err
	})
	if err != nil {
		t.Fatalf("fill policy: %v", err)
	}
}
