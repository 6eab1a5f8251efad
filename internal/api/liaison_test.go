package api_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/app/apptest"
	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
)

// TestLiaisonAPI pairs an enterprise with its liaison officer through PUT
// and reads it back through GET, in order: who may read, who may assign,
// which accounts are refused and how the pairing is removed.
func TestLiaisonAPI(t *testing.T) {
	dbtest.EachDialect(t, func(t *testing.T, d db.Dialect) {
		w := setup(t, d)
		id := func(username string) int64 {
			var n int64
			if err := w.srv.Main.DB.QueryRowContext(context.Background(), "SELECT id FROM accounts WHERE username = ?", username).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		acc := func(in auth.NewAccount) string { return w.srv.Token(w.srv.Account(in), in.Password) }
		teshi := acc(auth.NewAccount{Username: "teshi1", DisplayName: "刘洋", Role: identity.RoleLiaison, Password: staffPW})
		supervisor := acc(auth.NewAccount{Username: "jianguan1", Role: identity.RoleSupervisor, Password: staffPW})
		liu, clerkID := id("teshi1"), id("clerk1")
		path := fmt.Sprintf("/api/v1/enterprises/%d/liaison", w.entID)
		for _, st := range []struct {
			name, method, path, token string
			body                      any
			status                    int
			want                      []string
		}{
			{"the firm has no officer yet", "GET", path, w.owner, nil, 200, []string{`"liaison":null`, fmt.Sprintf(`"enterprise_id":%d`, w.entID)}},
			{"a window clerk may not assign", "PUT", path, w.clerk, map[string]any{"account_id": liu}, 403, nil},
			{"the officer may not assign itself", "PUT", path, teshi, map[string]any{"account_id": liu}, 403, nil},
			{"the firm may not choose its officer", "PUT", path, w.owner, map[string]any{"account_id": liu}, 403, nil},
			{"account_id is required", "PUT", path, w.admin, map[string]any{}, 422, []string{`"account_id"`}},
			{"a clerk's account is not a liaison officer", "PUT", path, w.admin, map[string]any{"account_id": clerkID}, 422, []string{`"account_id":"只能指派亲清特使角色的账户"`}},
			{"a missing account is refused", "PUT", path, w.admin, map[string]any{"account_id": 999999}, 422, []string{`"account_id":"该账户不存在"`}},
			{"an unknown enterprise is a 404", "PUT", "/api/v1/enterprises/999999/liaison", w.admin, map[string]any{"account_id": liu}, 404, nil},
			{"the administrator assigns the officer", "PUT", path, w.admin, map[string]any{"account_id": liu}, 200,
				[]string{fmt.Sprintf(`"account_id":%d`, liu), `"username":"teshi1"`, `"display_name":"刘洋"`}},
			{"the firm sees who serves it", "GET", path, w.owner, nil, 200, []string{`"username":"teshi1"`}},
			{"the officer sees it too", "GET", path, teshi, nil, 200, []string{`"display_name":"刘洋"`}},
			{"another firm may not", "GET", path, w.other, nil, 403, nil},
			{"bank staff may not", "GET", path, w.bank, nil, 403, nil},
			{"anonymous callers may not", "GET", path, "", nil, 401, nil},
			{"a missing enterprise is a 404", "GET", "/api/v1/enterprises/999999/liaison", w.clerk, nil, 404, nil},
			{"a supervisor removes the pairing with null", "PUT", path, supervisor, map[string]any{"account_id": nil}, 200, []string{`"liaison":null`}},
			{"and it stays removed", "GET", path, w.clerk, nil, 200, []string{`"liaison":null`}},
			{"0 removes as well", "PUT", path, supervisor, map[string]any{"account_id": 0}, 200, []string{`"liaison":null`}},
			{"the denied attempts are in the audit trail", "GET", "/api/v1/audit?action=enterprise.liaison_assign&result=denied", w.auditor, nil, 200,
				[]string{`"actor":"clerk1"`, `"actor":"teshi1"`, `"actor":"qiye1"`}},
			{"the assignment is in the audit trail", "GET", "/api/v1/audit?action=enterprise.liaison_assign&result=ok", w.auditor, nil, 200,
				[]string{`"actor":"admin1"`, `"name":"刘洋"`}},
		} {
			t.Run(st.name, func(t *testing.T) {
				resp := w.srv.Do(st.method, st.path, st.token, st.body, nil)
				if resp.Status != st.status {
					t.Fatalf("%s %s: %d, want %d: %s", st.method, st.path, resp.Status, st.status, resp.Body)
				}
				for _, frag := range st.want {
					if !strings.Contains(resp.Body, frag) {
						t.Errorf("body lacks %s: %s", frag, resp.Body)
					}
				}
			})
		}
		if _, ok, _ := w.srv.Main.Enterprise.Liaison(apptest.System(), w.entID); ok {
			t.Error("the pairing is still stored")
		}
	})
}
