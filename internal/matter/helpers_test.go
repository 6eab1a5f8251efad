package matter_test

import (
	"context"
	"testing"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
)

func as(role identity.Role) context.Context {
	p := &identity.Principal{AccountID: 0, Username: string(role) + "1", Role: role}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.1"})
}

func admin() context.Context { return as(identity.RoleAdmin) }

func anonymous() context.Context {
	return identity.WithRequest(context.Background(), identity.Request{ID: "t", IP: "10.0.0.9"})
}

func system() context.Context {
	return identity.WithPrincipal(context.Background(), identity.System("seed"))
}

// newService loads Beibei's departments (as the seed does) and returns the
// catalogue over d.
func newService(t testing.TB, d *db.DB) *matter.Service {
	t.Helper()
	err := d.InTx(context.Background(), func(tx *db.Tx) error {
		for i, dep := range seed.Departments {
			if _, err := tx.ExecContext(context.Background(), `INSERT INTO departments (code, name, name_en, phone, address, sort)
				VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING`, dep.Code, dep.Name, dep.NameEn, dep.Phone, dep.Address, (i+1)*10); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return matter.NewService(d)
}

// demoService is newService with the demo catalogue loaded.
func demoService(t testing.TB, d *db.DB) *matter.Service {
	t.Helper()
	s := newService(t, d)
	if err := matter.EnsureDemo(system(), d, s); err != nil {
		t.Fatal(err)
	}
	return s
}

// sample is a valid matter: a district food-business-style permit.
func sample(serial string) matter.MatterInput {
	fee := int64(0)
	return matter.MatterInput{
		Code: "012401000001500109" + serial, BasicCode: "012401000001",
		Name: "测试许可事项" + serial, NameEn: "Test permit " + serial, Type: "行政许可", DepartmentCode: "SCJGJ",
		ExerciseLevel: "district", LegalBasis: "《中华人民共和国行政许可法》第四十二条",
		LegalLimitDays: 20, CommittedLimitDays: 5, Visits: 1, OnlineDepth: 3, MailDelivery: true,
		FeeFen: &fee, AcceptConditions: "材料齐全", Location: "北碚区政务服务中心", Hours: "工作日",
		ConsultPhone: "023-68865315", ComplaintPhone: "12345", ResultName: "许可证",
		Events: []string{"准营", "food"},
		FormFields: []matter.FormField{
			{Name: "enterprise_name", LabelZh: "企业名称", Type: "text", Required: true, Prefill: "name"},
			{Name: "kind", LabelZh: "类型", Type: "select", Options: []string{"甲", "乙"}},
		},
		Materials: []matter.Material{
			{Name: "申请书", Required: true, Form: "原件", Copies: 1, Source: "applicant"},
			{Name: "营业执照", Required: true, Form: "electronic", Source: "license", SourceRef: "营业执照"},
			{Name: "健康证明", Form: "electronic", Source: "department", SourceRef: "WJW"},
		},
	}
}

// records returns the audit records of an object, newest first.
func records(t testing.TB, d *db.DB, objectType, id string) []audit.Record {
	t.Helper()
	recs, _, err := audit.List(as(identity.RoleAuditor), d, audit.Filter{ObjectType: objectType, ObjectID: id, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func count(t testing.TB, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
