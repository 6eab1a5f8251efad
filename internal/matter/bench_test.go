package matter_test

import (
	"testing"

	"github.com/qinqing/qinqing/internal/db/dbtest"
	"github.com/qinqing/qinqing/internal/matter"
)

// The catalogue is read by every visitor: listing it, one matter and one
// bundle should each be a few cheap queries.
func BenchmarkCatalogueReads(b *testing.B) {
	d := dbtest.OpenSQLite(b)
	s := demoService(b, d)
	code := matter.DemoCatalogue()[0].Code
	for _, bc := range []struct {
		name string
		run  func() error
	}{
		{"list_all", func() error { _, err := s.List(anonymous(), matter.Filter{ActiveOnly: true}); return err }},
		{"list_flag_and_event", func() error {
			_, err := s.List(anonymous(), matter.Filter{Flag: matter.FlagZeroVisit, Event: "startup"})
			return err
		}},
		{"get", func() error { _, err := s.Get(anonymous(), code); return err }},
		{"get_bundle", func() error { _, err := s.GetBundle(anonymous(), "YJS-QYKB"); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := bc.run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
