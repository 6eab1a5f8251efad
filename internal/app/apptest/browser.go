package apptest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BrowserRequired reports whether browser tests must run rather than skip
// (CI sets QINQING_TEST_BROWSER=require).
func BrowserRequired() bool { return os.Getenv("QINQING_TEST_BROWSER") == "require" }

// chromePath finds Chromium: QINQING_TEST_CHROME, else the usual names.
func chromePath() string {
	if p := os.Getenv("QINQING_TEST_CHROME"); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		return ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Chrome starts a headless Chromium for the test and returns its context
// (with a generous overall timeout). The test skips with a clear message
// when no browser is installed, unless QINQING_TEST_BROWSER=require.
func Chrome(t *testing.T) context.Context {
	t.Helper()
	path := chromePath()
	if path == "" {
		if BrowserRequired() {
			t.Fatal("a browser is required (QINQING_TEST_BROWSER=require) but no chromium was found; install chromium or set QINQING_TEST_CHROME")
		}
		t.Skip("skipping browser test: no chromium found (apt-get install chromium, or set QINQING_TEST_CHROME)")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithErrorf(func(string, ...any) {}))
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	return ctx
}

// Screenshot saves a full-page PNG to $QINQING_SCREENSHOT_DIR when set, for
// looking at pages by eye.
func Screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("QINQING_SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot %s: %v", name, err)
		return
	}
	os.MkdirAll(dir, 0o755)
	os.WriteFile(dir+"/"+name+".png", png, 0o644)
}
