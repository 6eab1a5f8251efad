package search_test

import (
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/notify"
	"github.com/qinqing/qinqing/internal/policy"
	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/seed"
)

// TestPolicyIndexOverTheService indexes the demo policies through the
// policy service: a published policy is found by the words of the version
// the public sees, never by those of a newer draft, until the draft is
// published.
func TestPolicyIndexOverTheService(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := identity.WithPrincipal(t.Context(), identity.System("test"))
		if err := seed.LoadOrgs(ctx, d); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		ps := policy.NewService(d, calendar.New(calendar.Options{}), enterprise.NewService(d), notify.New(d, nil, log), nil, policy.Config{}, log)
		ps.SetClock(func() time.Time { return time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC) })
		demo, err := seed.DemoPolicies()
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int64{}
		for _, dp := range demo {
			in, err := policy.ParseInput(dp.Raw)
			if err != nil {
				t.Fatal(err)
			}
			p, err := ps.Create(ctx, in)
			if err != nil {
				t.Fatalf("%s: %v", dp.Code, err)
			}
			ids[dp.Code] = p.ID
			if dp.Code == "zdyjzz-2022" { // stays a draft
				continue
			}
			if _, err := ps.Publish(ctx, p.ID, p.Rev, "2026-01-01"); err != nil {
				t.Fatalf("publish %s: %v", dp.Code, err)
			}
		}
		idx, err := search.NewPolicyIndex(ctx, ps)
		if err != nil {
			t.Fatal(err)
		}
		if idx.Len() != len(demo) {
			t.Errorf("indexed %d of %d policies", idx.Len(), len(demo))
		}
		first := func(q string) int64 {
			t.Helper()
			got := idx.Search(q)
			if len(got) == 0 {
				return 0
			}
			return got[0]
		}
		for q, code := range map[string]string{"研发": "yffy-jjkc-2023", "jjkc": "yffy-jjkc-2023", "xxwl": "xwqy-sds-2023",
			"上市奖励": "bb-ssjl-2025", "首贷贴息": "bb-sdtx-2025"} {
			if got := first(q); got != ids[code] {
				t.Errorf("Search(%q) first = %d, want %s (%d)", q, got, code, ids[code])
			}
		}
		// One announcement, three reliefs: its number finds all of them.
		if got := idx.Search("财政部 税务总局公告2023年第12号"); !slices.Contains(got, ids["xwqy-sds-2023"]) ||
			!slices.Contains(got, ids["lslf-jb-2023"]) || !slices.Contains(got, ids["gtgsh-grsds-2023"]) {
			t.Errorf("Search(2023年第12号) = %v", got)
		}
		if got := idx.Search("xwqy"); !slices.Contains(got, ids["xwqy-sds-2023"]) || !slices.Contains(got, ids["bb-sdtx-2025"]) {
			t.Errorf("Search(xwqy) = %v lacks the 小微 policies", got)
		}
		drafts, _ := idx.Find(search.Query{Filters: map[string][]string{"status": {"draft"}}})
		if !slices.Equal(drafts, []int64{ids["zdyjzz-2022"]}) {
			t.Errorf("drafts: %v", drafts)
		}

		// A new draft of a published policy: the public still sees the
		// published title, and the index with it.
		id := ids["bb-ssjl-2025"]
		cur, err := ps.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		in := cur.Current.Input
		in.Title = "企业境内外首发上市奖励（修订稿）"
		in.Keywords = "修订稿 上市"
		upd, err := ps.Update(ctx, id, cur.Rev, in)
		if err != nil {
			t.Fatal(err)
		}
		if err := idx.Changed(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got := idx.Search("修订稿"); slices.Contains(got, id) {
			t.Errorf("a draft's words are searchable while the published version is shown: %v", got)
		}
		if got := first("上市奖励"); got != id {
			t.Errorf("the published title no longer finds the policy: %d", got)
		}
		if _, err := ps.Publish(ctx, id, upd.Rev, "2026-06-01"); err != nil {
			t.Fatal(err)
		}
		if err := idx.Changed(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got := first("修订稿"); got != id {
			t.Errorf("after publishing, the new title is not found: %d", got)
		}

		// Taken off the shelves: still indexed, for staff, with its status.
		pol, _ := ps.Get(ctx, id)
		if _, err := ps.Unpublish(ctx, id, pol.Rev); err != nil {
			t.Fatal(err)
		}
		if err := idx.Changed(ctx, id); err != nil {
			t.Fatal(err)
		}
		live, _ := idx.Find(search.Query{Text: "上市奖励", Filters: map[string][]string{"status": {"published"}}})
		if slices.Contains(live, id) {
			t.Errorf("an unpublished policy is found among the published: %v", live)
		}
		off, _ := idx.Find(search.Query{Text: "上市奖励", Filters: map[string][]string{"status": {"unpublished"}}})
		if !slices.Equal(off, []int64{id}) {
			t.Errorf("unpublished: %v", off)
		}
	})
}
