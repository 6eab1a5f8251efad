package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app"
	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/seed"
)

// TestMain lets this test binary double as the qinqing command, so the
// crash test can run the real server in a child process and kill it.
func TestMain(m *testing.M) {
	if args := os.Getenv("QINQING_TEST_CHILD_ARGS"); args != "" {
		c := &app.CLI{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
			Started: func(m *app.Main) { os.Stdout.WriteString("LISTENING " + m.URL() + "\n") }}
		os.Exit(c.Run(context.Background(), strings.Fields(args)))
	}
	os.Exit(m.Run())
}

// TestAcknowledgedWritesSurviveKill9 creates enterprises and files a case
// for each through the API of a server in a child process, kills it with
// SIGKILL right after the responses, and finds every acknowledged profile
// and case — and an intact audit chain — when the database is opened again
// (SQLite WAL with synchronous=FULL).
func TestAcknowledgedWritesSurviveKill9(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite://" + filepath.Join(dir, "qinqing.db")
	env := append(os.Environ(), "QINQING_DATABASE_URL="+url, "QINQING_DATA_DIR="+dir, "QINQING_ADDR=127.0.0.1:0",
		"QINQING_MFA=off", "QINQING_LOG_LEVEL=error", "QINQING_COOKIE_SECURE=false")
	create := exec.Command(os.Args[0])
	create.Env = append(env, "QINQING_TEST_CHILD_ARGS=user create --username clerk1 --role window_clerk --password-stdin")
	create.Stdin = strings.NewReader("Beibei-Chuangkou-2026\n")
	if out, err := create.CombinedOutput(); err != nil {
		t.Fatalf("user create: %v\n%s", err, out)
	}

	matterCode, form := crashMatter(t, url)

	srv := exec.Command(os.Args[0])
	srv.Env = append(env, "QINQING_TEST_CHILD_ARGS=serve")
	stdout, _ := srv.StdoutPipe()
	srv.Stderr = os.Stderr
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	lines := bufio.NewScanner(stdout)
	base := ""
	deadline := time.Now().Add(30 * time.Second)
	for base == "" && time.Now().Before(deadline) && lines.Scan() {
		if u, ok := strings.CutPrefix(lines.Text(), "LISTENING "); ok {
			base = u
		}
	}
	if base == "" {
		t.Fatal("the child server did not start")
	}
	resp, err := http.Post(base+"/api/v1/auth/login", "application/json", strings.NewReader(`{"username":"clerk1","password":"Beibei-Chuangkou-2026"}`))
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	var acked []string
	for i := range 20 {
		code := creditCodeFor(i)
		body := `{"credit_code":"` + code + `","name":"重庆北碚断电测试有限公司` + code[10:] + `","region_code":"500109001","industry_code":"3670","employees":50,"legal_rep":"陈志强","contact_name":"刘红","contact_phone":"13983000001","address":"重庆市北碚区天生路 8 号"}`
		req, _ := http.NewRequest("POST", base+"/api/v1/enterprises", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusCreated {
			acked = append(acked, code)
		}
	}
	// Cases filed at the window for those firms: each acknowledged with
	// its number.
	var ackedCases []string
	for i, code := range acked {
		body, _ := json.Marshal(map[string]any{"matter_code": matterCode, "credit_code": code, "channel": "window", "form": form})
		req, _ := http.NewRequest("POST", base+"/api/v1/cases", strings.NewReader(string(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok.Token)
		req.Header.Set("Idempotency-Key", "crash-"+strconv.Itoa(i))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var c struct {
			CaseNo string `json:"case_no"`
		}
		json.Unmarshal(raw, &c)
		if resp.StatusCode != http.StatusCreated || c.CaseNo == "" {
			t.Fatalf("case for %s: %d %s", code, resp.StatusCode, raw)
		}
		ackedCases = append(ackedCases, c.CaseNo)
	}
	if err := srv.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.Wait()
	if len(acked) != 20 {
		t.Fatalf("only %d of 20 creates were acknowledged", len(acked))
	}

	d, err := db.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, code := range acked {
		var n int
		if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM enterprises WHERE credit_code = ?", code).Scan(&n); err != nil || n != 1 {
			t.Errorf("acknowledged enterprise %s is missing after kill -9 (%v)", code, err)
		}
	}
	for _, no := range ackedCases {
		var n int
		if err := d.QueryRowContext(context.Background(), "SELECT count(*) FROM cases WHERE case_no = ?", no).Scan(&n); err != nil || n != 1 {
			t.Errorf("acknowledged case %s is missing after kill -9 (%v)", no, err)
		}
	}
	rep, err := audit.Verify(context.Background(), d, nil)
	if err != nil || !rep.OK {
		t.Errorf("audit chain after kill -9: %v %v", rep, err)
	}
}

// crashMatter loads the departments and the demo catalogue into the
// database at url and picks a matter a window can file with nothing
// uploaded, with its required form filled in.
func crashMatter(t *testing.T, url string) (string, map[string]string) {
	t.Helper()
	ctx := identity.WithPrincipal(context.Background(), identity.System("test"))
	d, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	svc := matter.NewService(d)
	if err := seed.LoadOrgs(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := matter.EnsureDemo(ctx, d, svc); err != nil {
		t.Fatal(err)
	}
	all, err := svc.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range all {
		v, err := svc.Get(ctx, m.Code)
		if err != nil {
			t.Fatal(err)
		}
		nothingToUpload := true
		for _, mat := range v.Current.Materials {
			nothingToUpload = nothingToUpload && (!mat.Required || mat.Source == matter.SourceDepartment || mat.Source == matter.SourcePlatform)
		}
		if !nothingToUpload || v.Current.OnlineDepth < 1 {
			continue
		}
		form := map[string]string{}
		for _, f := range v.Current.FormFields {
			switch {
			case !f.Required || f.Prefill != "":
			case f.Type == "select":
				form[f.Name] = f.Options[0]
			case f.Type == "number":
				form[f.Name] = "10"
			case f.Type == "date":
				form[f.Name] = "2026-03-02"
			default:
				form[f.Name] = "断电测试"
			}
		}
		return m.Code, form
	}
	t.Fatal("the demo catalogue has no matter that needs no upload")
	return "", nil
}
