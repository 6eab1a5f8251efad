package calendar

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/qinqing/qinqing/internal/errs"
)

// synthetic2027 is a made-up 2027 schedule for tests (not the State
// Council's): 2027-01-01 is a Friday; 元旦 Jan 1–3, a 春节 break Mon Feb 8 –
// Tue Feb 9 with a make-up Saturday Feb 20.
const synthetic2027 = `{
  "year": 2027,
  "papers": ["https://www.gov.cn/example/2027.htm"],
  "days": [
    {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-02", "isOffDay": true},
    {"name": "元旦", "date": "2027-01-03", "isOffDay": true},
    {"name": "春节", "date": "2027-02-08", "isOffDay": true},
    {"name": "春节", "date": "2027-02-09", "isOffDay": true},
    {"name": "春节", "date": "2027-02-20", "isOffDay": false}
  ]
}`

func TestLoadYear(t *testing.T) {
	t.Run("a 2027 schedule loads and then counts", func(t *testing.T) {
		c := New(Options{})
		info, err := c.LoadYear([]byte(synthetic2027))
		if err != nil {
			t.Fatal(err)
		}
		if info.Year != 2027 || info.Holidays != 5 || info.MakeupDays != 1 || info.Source != SourceLoaded || len(info.Papers) != 1 {
			t.Errorf("LoadYear = %+v", info)
		}
		cases := []struct {
			start string
			n     int
			want  string
		}{
			{"2026-12-31", 1, "2027-01-04"}, // [Jan 1–3 元旦], Mon Jan 4 (1)
			{"2027-02-05", 1, "2027-02-10"}, // [Feb 6–7 weekend, 8–9 春节], Wed Feb 10 (1)
			{"2027-02-19", 1, "2027-02-20"}, // the make-up Saturday (1)
		}
		for _, tc := range cases {
			r, err := c.AddWorkingDays(day(t, tc.start), tc.n)
			if err != nil || r.Date != day(t, tc.want) || r.Fallback {
				t.Errorf("AddWorkingDays(%s, %d) = %+v, %v; want %s without fallback", tc.start, tc.n, r, err, tc.want)
			}
		}
		if got := len(c.Years()); got != 3 {
			t.Errorf("Years() has %d years, want 3", got)
		}
		if other := New(Options{}); len(other.Years()) != 2 {
			t.Error("loading a year into one calendar changed another")
		}
	})
	t.Run("a loaded schedule replaces the built-in one of its year", func(t *testing.T) {
		c := New(Options{})
		b, err := os.ReadFile("data/holiday-cn-2026.json")
		if err != nil {
			t.Fatal(err)
		}
		// A correction notice makes Monday 2026-03-09 a holiday.
		amended := strings.Replace(string(b), `"days": [`, `"days": [{"name": "测试", "date": "2026-03-09", "isOffDay": true},`, 1)
		if _, err := c.LoadYear([]byte(amended)); err != nil {
			t.Fatal(err)
		}
		if w, _, _ := c.IsWorkingDay(day(t, "2026-03-09")); w {
			t.Error("2026-03-09 is still a working day")
		}
		if w, _, _ := c.IsWorkingDay(day(t, "2026-02-14")); !w {
			t.Error("the rest of the 2026 schedule was lost")
		}
		if y := c.Years()[1]; y.Year != 2026 || y.Source != SourceLoaded || y.Holidays != 34 {
			t.Errorf("Years()[1] = %+v, want the loaded 2026 with 34 holidays", y)
		}
	})

	bad := []struct {
		name   string
		doc    string
		fields map[string]string // field → a fragment of its English message
	}{
		{"bad data gives one clear field error per problem, all at once", `{"year": 2027, "days": [
			{"name": "元旦", "date": "2027-1-1", "isOffDay": true},
			{"name": "元旦", "date": "2028-01-01", "isOffDay": true},
			{"name": "春节", "date": "2027-01-06", "isOffDay": false},
			{"name": "春节", "date": "2027-02-08", "isOffDay": true},
			{"name": "春节", "date": "2027-02-08", "isOffDay": true}]}`,
			map[string]string{
				"days[0].date":     `"2027-1-1" is not a valid YYYY-MM-DD date`,
				"days[1].date":     "2028-01-01 is not in 2027",
				"days[2].isOffDay": "2027-01-06 is a Wednesday",
				"days[4].date":     "listed twice (also days[3])",
			}},
		{"a missing year is reported", `{"days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`,
			map[string]string{"year": "missing"}},
		{"an implausible year is reported", `{"year": 1900, "days": [{"name": "元旦", "date": "1900-01-01", "isOffDay": true}]}`,
			map[string]string{"year": "outside"}},
		{"text that is not JSON is reported", `{"year": 2027,`, map[string]string{"data": "Not a valid holiday schedule"}},
		{"a year written as text is reported", `{"year": "2027", "days": []}`, map[string]string{"data": `"year" has the wrong type`}},
		{"an empty schedule is reported", `{"year": 2027, "days": []}`, map[string]string{"days": "no days"}},
		{"a day without isOffDay or name is reported", `{"year": 2027, "days": [
			{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
			{"date": "2027-01-02"}]}`,
			map[string]string{"days[1].isOffDay": "missing", "days[1].name": "missing"}},
		{"a schedule with no weekday off is reported", `{"year": 2027, "days": [{"name": "元旦", "date": "2027-01-02", "isOffDay": true}]}`,
			map[string]string{"days": "no weekday off"}},
		{"more make-up days than weekdays off is reported", `{"year": 2027, "days": [
			{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
			{"name": "元旦", "date": "2027-01-09", "isOffDay": false},
			{"name": "元旦", "date": "2027-01-10", "isOffDay": false}]}`,
			map[string]string{"days": "More make-up working days (2) than weekdays off (1)"}},
		{"a paper that is not a web address is reported", `{"year": 2027, "papers": ["国办发明电"], "days": [
			{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}`,
			map[string]string{"papers[0]": "not the web address"}},
		{"a December day of the year before says where it belongs", `{"year": 2030, "days": [
			{"name": "元旦", "date": "2029-12-29", "isOffDay": false},
			{"name": "元旦", "date": "2029-12-31", "isOffDay": true},
			{"name": "元旦", "date": "2030-01-01", "isOffDay": true}]}`,
			map[string]string{"days[0].date": "add it to the 2029 schedule", "days[1].date": "add it to the 2029 schedule"}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			c := New(Options{})
			_, err := c.LoadYear([]byte(tc.doc))
			if !errors.Is(err, errs.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			got := errs.FieldsOf(err)
			for field, frag := range tc.fields {
				m, ok := got[field]
				if !ok {
					t.Errorf("no error for %s; got %v", field, got)
					continue
				}
				if !strings.Contains(m.En, frag) || m.Zh == "" {
					t.Errorf("%s: %+v, want English containing %q and a Chinese text", field, m, frag)
				}
			}
			if len(got) != len(tc.fields) {
				t.Errorf("got %d field errors %v, want exactly %v", len(got), got, tc.fields)
			}
			if len(c.Years()) != 2 {
				t.Error("a refused schedule changed the calendar")
			}
		})
	}
	t.Run("the Chinese message names the weekday of a misplaced make-up day", func(t *testing.T) {
		_, err := New(Options{}).LoadYear([]byte(`{"year": 2027, "days": [
			{"name": "元旦", "date": "2027-01-01", "isOffDay": true},
			{"name": "春节", "date": "2027-01-06", "isOffDay": false}]}`))
		if m := errs.FieldsOf(err)["days[1].isOffDay"]; !strings.Contains(m.Zh, "星期三") {
			t.Errorf("message %+v does not say 星期三", m)
		}
	})
}
