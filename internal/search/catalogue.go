package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/qinqing/qinqing/internal/matter"
)

// Catalogue keeps a search index of the matter catalogue and 一件事 bundles
// in step with the catalogue: built at start, updated on every edit.
// Documents are "m:<code>" for matters and "b:<code>" for bundles, with
// facets kind, department, type, flag and event.
type Catalogue struct {
	ix      *Index
	matters *matter.Service
}

// NewCatalogue indexes every active matter and bundle and subscribes to
// catalogue changes.
func NewCatalogue(ctx context.Context, ms *matter.Service) (*Catalogue, error) {
	c := &Catalogue{ix: NewIndex(), matters: ms}
	all, err := ms.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		return nil, fmt.Errorf("index catalogue: %w", err)
	}
	docs := make([]Doc, 0, len(all))
	for _, m := range all {
		docs = append(docs, matterDoc(m))
	}
	bundles, err := ms.ListBundles(ctx, true)
	if err != nil {
		return nil, fmt.Errorf("index bundles: %w", err)
	}
	for _, b := range bundles {
		docs = append(docs, bundleDoc(b))
	}
	c.ix.PutAll(docs)
	// A matter's document shows the bundles it is in and a bundle's lists its
	// members, so an edit of either refreshes the other side too.
	ms.OnChange(func(ctx context.Context, code string) {
		if m, ok := c.refreshMatter(ctx, code); ok {
			for _, b := range m.InBundles {
				c.refreshBundle(ctx, b)
			}
		}
	})
	ms.OnBundleChange(func(ctx context.Context, code string) {
		b, _ := c.refreshBundle(ctx, code)
		for _, m := range b.Members {
			c.refreshMatter(ctx, m.MatterCode)
		}
	})
	return c, nil
}

func (c *Catalogue) refreshMatter(ctx context.Context, code string) (matter.Matter, bool) {
	m, err := c.matters.Get(ctx, code)
	if err != nil || !m.Active {
		c.ix.Delete("m:" + code)
		return m, false
	}
	c.ix.Put(matterDoc(m))
	return m, true
}

func (c *Catalogue) refreshBundle(ctx context.Context, code string) (matter.Bundle, bool) {
	b, err := c.matters.GetBundle(ctx, code)
	if err != nil || !b.Active {
		c.ix.Delete("b:" + code)
		return b, false
	}
	c.ix.Put(bundleDoc(b))
	return b, true
}

// Search runs a query over the catalogue.
func (c *Catalogue) Search(q Query) Result { return c.ix.Search(q) }

// Len is the number of indexed documents.
func (c *Catalogue) Len() int { return c.ix.Len() }

func matterDoc(m matter.Matter) Doc {
	v := m.Current
	body := []string{v.AcceptConditions, v.Process, v.ResultName, v.LegalBasis}
	for _, mat := range v.Materials {
		body = append(body, mat.Name)
	}
	flags := v.Flags().List()
	if len(m.InBundles) > 0 {
		flags = append(flags, "in_bundle")
	}
	kw := []string{v.ResultName}
	if v.NameEn != "" {
		kw = append(kw, v.NameEn)
	}
	return Doc{ID: "m:" + m.Code, Title: v.Name, Keywords: kw, Body: strings.Join(body, "\n"),
		Facets: map[string][]string{"kind": {"matter"}, "department": {v.DepartmentCode}, "type": {v.Type}, "flag": flags, "event": v.Events}}
}

func bundleDoc(b matter.Bundle) Doc {
	var members []string
	for _, v := range b.Members {
		members = append(members, v.Name)
	}
	return Doc{ID: "b:" + b.Code, Title: b.Name, Keywords: append(members, b.NameEn), Body: b.Description,
		Facets: map[string][]string{"kind": {"bundle"}, "department": {b.LeadDepartmentCode}, "flag": b.Flags().List(), "event": b.Events}}
}
