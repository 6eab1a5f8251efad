package search_test

import (
	"context"
	"testing"

	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/search"
	"github.com/qinqing/qinqing/internal/seed"
)

// TestCatalogueFollowsBundleEdits checks that the "in a bundle" facet of
// matters follows the bundle being withdrawn and restored.
func TestCatalogueFollowsBundleEdits(t *testing.T) {
	d := dbtest.OpenSQLite(t)
	ctx := identity.WithPrincipal(context.Background(), identity.System("test"))
	if err := seed.LoadOrgs(ctx, d); err != nil {
		t.Fatal(err)
	}
	ms := matter.NewService(d)
	if err := matter.EnsureDemo(ctx, d, ms); err != nil {
		t.Fatal(err)
	}
	c, err := search.NewCatalogue(ctx, ms)
	if err != nil {
		t.Fatal(err)
	}
	inBundle := func() int {
		return c.Search(search.Query{Filters: map[string][]string{"kind": {"matter"}, "flag": {"in_bundle"}}, Limit: 500}).Total
	}
	before := inBundle()
	if before == 0 {
		t.Fatal("no matter is marked as in a bundle")
	}
	if hits := c.Search(search.Query{Text: "开办企业一件事"}); len(hits.Hits) == 0 || hits.Hits[0].ID != "b:YJS-QYKB" {
		t.Errorf("the bundle is not found first: %+v", hits.Hits)
	}
	if err := ms.SetBundleActive(ctx, "YJS-QYKB", false); err != nil {
		t.Fatal(err)
	}
	if after := inBundle(); after >= before {
		t.Errorf("withdrawing 开办企业一件事 left %d matters in bundles (was %d)", after, before)
	}
	for _, h := range c.Search(search.Query{Text: "开办企业一件事", Limit: 50}).Hits {
		if h.ID == "b:YJS-QYKB" {
			t.Error("a withdrawn bundle is still found")
		}
	}
	if err := ms.SetBundleActive(ctx, "YJS-QYKB", true); err != nil {
		t.Fatal(err)
	}
	if inBundle() != before {
		t.Errorf("restoring the bundle gave %d, want %d", inBundle(), before)
	}
}
