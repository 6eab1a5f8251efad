package seed

import (
	"context"
	"fmt"

	"github.com/qinqing/qinqing/internal/casework"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/matter"
	"github.com/qinqing/qinqing/internal/servicepoint"
)

// Services are what the government-service demo data is loaded through.
type Services struct {
	Matters *matter.Service
	Points  *servicepoint.Service
	Cases   *casework.Service
}

// DemoServices loads the government-service demo data on top of Demo: the
// matter catalogue and bundles, the service network, and half a year of
// case history with ratings (only into a database without cases). Each
// step is idempotent.
func DemoServices(ctx context.Context, d *db.DB, s Services, progress func(step string, done, total int)) error {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	progress("catalogue", 0, 1)
	if err := matter.EnsureDemo(ctx, d, s.Matters); err != nil {
		return fmt.Errorf("demo catalogue: %w", err)
	}
	progress("catalogue", 1, 1)
	all, err := s.Matters.List(ctx, matter.Filter{ActiveOnly: true})
	if err != nil {
		return err
	}
	names := make(map[string]string, len(all))
	for _, m := range all {
		names[m.Code] = m.Current.Name
	}
	progress("service network", 0, 1)
	if err := servicepoint.EnsureDemo(ctx, d, s.Points, names); err != nil {
		return fmt.Errorf("demo service network: %w", err)
	}
	progress("service network", 1, 1)
	if s.Cases == nil {
		return nil
	}
	return demoHistory(ctx, d, s, progress)
}
