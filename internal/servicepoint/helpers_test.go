package servicepoint_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

func as(role identity.Role) context.Context {
	p := &identity.Principal{AccountID: 0, Username: string(role) + "1", Role: role}
	return identity.WithRequest(identity.WithPrincipal(context.Background(), p), identity.Request{ID: "t", IP: "10.0.0.1"})
}

func admin() context.Context { return as(identity.RoleAdmin) }

func seedCtx() context.Context {
	return identity.WithPrincipal(context.Background(), identity.System("seed"))
}

// catalogue stands in for the matter catalogue (a sibling package) at the
// MatterLookup edge: code → name.
type catalogue map[string]string

func (c catalogue) MatterExists(_ context.Context, code string) (bool, error) {
	_, ok := c[code]
	return ok, nil
}

func (c catalogue) MatterNames(_ context.Context, codes []string) (map[string]string, error) {
	out := map[string]string{}
	for _, code := range codes {
		if n, ok := c[code]; ok {
			out[code] = n
		}
	}
	return out, nil
}

// sampleCatalogue is a slice of a district catalogue of enterprise matters.
var sampleCatalogue = catalogue{
	"QYKB-001":  "企业开办一件事",
	"GSDJ-001":  "公司设立登记",
	"GSDJ-002":  "公司变更登记",
	"GTDJ-001":  "个体工商户设立登记",
	"YHKH-001":  "银行开户预约",
	"ZZYJ-001":  "证照免费邮寄送达",
	"SBDJ-001":  "单位社会保险登记",
	"JYDJ-001":  "就业登记",
	"SPJY-001":  "食品经营许可",
	"ZLZY-001":  "专利权质押登记",
	"GXQY-001":  "高新技术企业认定",
	"WHPJY-001": "危险化学品经营许可",
}

func ptr[T any](v T) *T { return &v }

// streetCentre is a valid input for a street centre in Tiansheng street.
func streetCentre(code string) servicepoint.PointInput {
	return servicepoint.PointInput{
		Code: code, Name: "天生街道公共服务中心", NameEn: "Tiansheng Street Public Service Centre",
		Tier: servicepoint.TierStreet, StreetCode: "500109001", Address: "重庆市北碚区天生街道天生路 85 号",
		Lat: ptr(29.823), Lng: ptr(106.4215), Hours: "工作日 9:00-12:00 14:00-17:30", Phone: "023-68281003",
		Contact: "综合服务窗口", Services: []string{"party", "government", "business", "life"},
		Description: "政务服务事项一窗综合受理与帮办代办", Matters: []string{"GSDJ-001", "QYKB-001"},
	}
}

type auditRow struct {
	Action, ObjectID, Result, Actor string
	Detail                          map[string]any
}

// auditTrail returns the service-point audit records in order.
func auditTrail(t *testing.T, d *db.DB) []auditRow {
	t.Helper()
	rows, err := d.QueryContext(context.Background(),
		"SELECT action, object_id, result, actor, detail FROM audit_log WHERE object_type = 'service_point' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		var detail string
		if err := rows.Scan(&r.Action, &r.ObjectID, &r.Result, &r.Actor, &detail); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(detail), &r.Detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func codes(ps []servicepoint.Point) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Code
	}
	return out
}

func sortedCodes(ps []servicepoint.Point) []string {
	out := codes(ps)
	slices.Sort(out)
	return out
}
