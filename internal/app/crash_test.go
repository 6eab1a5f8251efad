package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/app"
	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
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

// TestAcknowledgedWritesSurviveKill9 creates enterprises through the API of
// a server in a child process, kills it with SIGKILL right after the
// responses, and finds every acknowledged profile — and an intact audit
// chain — when the database is opened again (SQLite WAL with
// synchronous=FULL).
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
		body := `{"credit_code":"` + code + `","name":"重庆北碚断电测试有限公司` + code[10:] + `","region_code":"500109001","industry_code":"3670","employees":50}`
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
	rep, err := audit.Verify(context.Background(), d, nil)
	if err != nil || !rep.OK {
		t.Errorf("audit chain after kill -9: %v %v", rep, err)
	}
}
