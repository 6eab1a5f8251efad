package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/qinqing/qinqing/internal/calendar"
	"github.com/qinqing/qinqing/internal/matter"
)

// importMatters loads the matter catalogue from an XLSX workbook in the
// export's layout: each changed matter gets a new version, unchanged rows
// stay as they are, and every bad cell is listed.
func (c *CLI) importMatters(ctx context.Context, args []string) error {
	fs, load := c.flags("import matters", "import matters FILE.xlsx")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		return err
	}
	if len(data) > matter.MaxImportBytes {
		return fmt.Errorf("%s is %d MB; the catalogue import takes at most %d MB", args[1], len(data)>>20, matter.MaxImportBytes>>20)
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	start := time.Now()
	rep, err := m.Matters.Import(systemCtx(ctx, "cli"), bytes.NewReader(data))
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "%d matters in %s: %d created, %d new versions, %d unchanged, %d failed\n",
		rep.Total, time.Since(start).Round(time.Millisecond), rep.Created, rep.Updated, rep.Unchanged, rep.Failed)
	for _, w := range rep.Warnings {
		fmt.Fprintf(c.Stdout, "warning: %s\n", w.Zh)
	}
	tw := tabwriter.NewWriter(c.Stdout, 2, 4, 2, ' ', 0)
	if len(rep.Errors) > 0 {
		fmt.Fprintln(tw, "SHEET\tROW\tFIELD\tPROBLEM")
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s / %s\n", e.Sheet, e.Row, e.Field, e.Msg.Zh, e.Msg.En)
	}
	tw.Flush()
	if rep.Failed > 0 {
		return fmt.Errorf("%d matters were not imported (listed above); the others were", rep.Failed)
	}
	return nil
}

// exportMatters writes the whole catalogue to an XLSX workbook that
// importMatters reads back unchanged.
func (c *CLI) exportMatters(ctx context.Context, args []string) error {
	fs, load := c.flags("export matters", "export matters FILE.xlsx")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	tmp := args[1] + ".partial"
	out, err := os.Create(tmp)
	if err != nil {
		return err
	}
	err = m.Matters.Export(systemCtx(ctx, "cli"), out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, args[1]); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "catalogue written to %s\n", args[1])
	return nil
}

// calendarCmd lists the years the working-day calendar knows, loads a new
// year's State Council schedule, or computes a deadline.
func (c *CLI) calendarCmd(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	sub := args[0]
	var rest []string
	switch {
	case sub == "years" && len(args) >= 1:
		rest = args[1:]
	case sub == "load" && len(args) >= 2:
		rest = args[2:]
	case sub == "deadline" && len(args) >= 3:
		rest = args[3:]
	default:
		return errUsage
	}
	fs, load := c.flags("calendar "+sub, "calendar years | calendar load FILE.json | calendar deadline YYYY-MM-DD N")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	m, err := c.open(ctx, load)
	if err != nil {
		return err
	}
	defer m.Close()
	switch sub {
	case "years":
		tw := tabwriter.NewWriter(c.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "YEAR\tHOLIDAYS\tMAKE-UP DAYS\tSOURCE\tNOTICES")
		for _, y := range m.Calendar.Years() {
			fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\n", y.Year, y.Holidays, y.MakeupDays, y.Source, strings.Join(y.Papers, "; "))
		}
		tw.Flush()
		if m.Calendar.FallbackWeekends() {
			fmt.Fprintln(c.Stdout, "other years: weekends only (QINQING_CALENDAR_FALLBACK is on)")
		} else {
			fmt.Fprintln(c.Stdout, "other years: refused until their schedule is loaded")
		}
	case "load":
		data, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		info, err := m.Calendar.SaveYear(systemCtx(ctx, "cli"), m.DB, data)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Stdout, "loaded %d: %d holidays, %d make-up working days (%s)\n", info.Year, info.Holidays, info.MakeupDays, strings.Join(info.Papers, "; "))
	case "deadline":
		start, err := calendar.ParseDate(args[1])
		if err != nil {
			return fmt.Errorf("start date %q: want YYYY-MM-DD", args[1])
		}
		n, err := strconv.Atoi(args[2])
		if err != nil || n < 0 {
			return fmt.Errorf("working days %q: want a whole number ≥ 0", args[2])
		}
		r, err := m.Calendar.AddWorkingDays(start, n)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.Stdout, r.Date)
		if r.Fallback {
			fmt.Fprintf(c.Stdout, "note: weekends only for %v (no holiday schedule loaded)\n", r.FallbackYears)
		}
	}
	return nil
}
