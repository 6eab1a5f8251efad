package search

import (
	"context"
	"errors"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/policy"
)

// NewPolicyIndex builds the search index of the policies ps holds. Call
// Changed with a policy's id after it is created, edited, published or
// unpublished (the policy service's change hook), or Refresh.
func NewPolicyIndex(ctx context.Context, ps *policy.Service) (*Policies, error) {
	return NewPolicies(ctx, PolicyServiceSource{ps})
}

// PolicyServiceSource reads the policies to index from the policy
// service. A policy on the shelves is indexed as the public sees it (the
// published version in effect today), so that a search by the public never
// matches the words of an unpublished draft; any other policy by its
// newest version, for staff, with its status as a facet.
type PolicyServiceSource struct{ PS *policy.Service }

// staff reads as the platform: every policy, drafts included.
func staff(ctx context.Context) context.Context {
	return identity.WithPrincipal(ctx, identity.System("search"))
}

// public reads as an anonymous visitor.
func public(ctx context.Context) context.Context {
	return identity.WithPrincipal(ctx, nil)
}

// AllPolicyDocs implements PolicySource.
func (s PolicyServiceSource) AllPolicyDocs(ctx context.Context) ([]PolicyDoc, error) {
	var out []PolicyDoc
	for page := 1; ; page++ {
		pg, err := s.PS.List(staff(ctx), policy.Filter{Page: page, PerPage: 100})
		if err != nil {
			return nil, err
		}
		for _, p := range pg.Items {
			d, found, err := s.doc(ctx, p)
			if err != nil {
				return nil, err
			}
			if found {
				out = append(out, d)
			}
		}
		if page >= pg.Pages() {
			return out, nil
		}
	}
}

// PolicyDoc implements PolicySource.
func (s PolicyServiceSource) PolicyDoc(ctx context.Context, id int64) (PolicyDoc, bool, error) {
	p, err := s.PS.Get(staff(ctx), id)
	if errors.Is(err, errs.ErrNotFound) {
		return PolicyDoc{}, false, nil
	}
	if err != nil {
		return PolicyDoc{}, false, err
	}
	return s.doc(ctx, p)
}

// doc maps a policy (with its newest version) to its index entry, reading
// the public version of a published one.
func (s PolicyServiceSource) doc(ctx context.Context, p policy.Policy) (PolicyDoc, bool, error) {
	if p.Status == policy.StatusPublished {
		pub, err := s.PS.Get(public(ctx), p.ID)
		switch {
		case err == nil:
			p.Current = pub.Current
		case !errors.Is(err, errs.ErrNotFound):
			return PolicyDoc{}, false, err
		}
	}
	v := p.Current
	return PolicyDoc{ID: p.ID, Title: v.Title, TitleEn: v.TitleEn, DocumentNo: v.DocumentNo, Issuer: v.Issuer, Summary: v.Summary,
		Keywords: v.Keywords, Level: string(v.Level), Shelf: string(v.Shelf), Mode: string(v.Mode), Status: string(p.Status),
		DepartmentCode: v.Department}, true, nil
}
