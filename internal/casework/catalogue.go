package casework

import (
	"context"

	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/matter"
)

// MatterCatalogue serves specs from the matter catalogue: the current
// version of an active matter, or an active bundle with its members'
// current versions.
type MatterCatalogue struct{ Matters *matter.Service }

var errInactive = errs.NotFound(i18n.M("事项", "Matter"))

// MatterSpec returns the current version of an active matter.
func (mc MatterCatalogue) MatterSpec(ctx context.Context, code string) (Spec, error) {
	m, err := mc.Matters.Get(ctx, code)
	if err != nil {
		return Spec{}, err
	}
	if !m.Active {
		return Spec{}, errInactive
	}
	return specOf(m.Current), nil
}

// BundleSpec returns an active bundle.
func (mc MatterCatalogue) BundleSpec(ctx context.Context, code string) (BundleSpec, error) {
	b, err := mc.Matters.GetBundle(ctx, code)
	if err != nil {
		return BundleSpec{}, err
	}
	if !b.Active {
		return BundleSpec{}, errInactive
	}
	out := BundleSpec{Code: b.Code, Name: b.Name, CommittedDays: b.CommittedLimitDays, Department: b.LeadDepartmentCode}
	for _, v := range b.Members {
		out.Members = append(out.Members, specOf(v))
	}
	out.Fields = fieldsOf(b.MergedForm())
	for i, m := range b.Materials() {
		out.Materials = append(out.Materials, Material{Seq: i + 1, Name: m.Name, Required: m.Required, Source: m.Source,
			SourceRef: m.SourceRef, Members: m.Members})
	}
	return out, nil
}

func specOf(v matter.Version) Spec {
	s := Spec{Code: v.MatterCode, Version: v.Version, Name: v.Name, Department: v.DepartmentCode, CaseType: v.CaseType,
		CommittedDays: v.CommittedLimitDays, LegalDays: v.LegalLimitDays, MailDelivery: v.MailDelivery, ResultName: v.ResultName,
		Fields: fieldsOf(v.FormFields)}
	for _, m := range v.Materials {
		s.Materials = append(s.Materials, Material{Seq: m.Seq, Name: m.Name, Required: m.Required, Source: m.Source,
			SourceRef: m.SourceRef, Members: []string{v.MatterCode}})
	}
	return s
}

func fieldsOf(fs []matter.FormField) []Field {
	out := make([]Field, 0, len(fs))
	for _, f := range fs {
		out = append(out, Field{Name: f.Name, Label: i18n.M(f.LabelZh, f.LabelEn), Type: f.Type, Required: f.Required,
			Options: f.Options, Prefill: f.Prefill})
	}
	return out
}
