// Package calendar is the platform's working-day (工作日) calendar: it says
// whether a date is a working day and computes time limits and deadlines
// counted in working days.
//
// # Rules and their sources
//
// 《中华人民共和国行政许可法》第八十二条:
// "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日"
// — the time limits of the Act count working days, not holidays. A working
// day is Monday to Friday, minus the statutory holidays, plus the make-up
// working days (调休上班) that the State Council moves onto a Saturday or
// Sunday. Which days those are is fixed each year by a notice of the
// General Office of the State Council (under 《全国年节及纪念日放假办法》, as
// revised in November 2024):
//
//   - 2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）,
//     https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm
//   - 2026: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）,
//     https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm
//     (the document number could not be confirmed from a primary source, so
//     it is cited by title and date).
//
// Both schedules are built into the binary (data/, in the public holiday-cn
// JSON format). Administrators load later years with SaveYear when the
// State Council publishes them, usually in November of the year before.
//
// The day a clock starts is not counted: N working days from D ends on the
// N-th working day after D, as for every period counted in days
// (《中华人民共和国民法典》第二百零一条: "开始的当日不计入，自下一日开始计算").
// A date in a year without a schedule is an explicit error (ErrNoSchedule)
// unless the calendar is configured to fall back to weekends only, and then
// every result says that it used the fallback and for which years.
//
// # Stopped clocks (补正, 特别程序)
//
// 行政许可法第四十五条 keeps the time needed for
// 听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审
// out of the limits, and the platform stops the clock in
// the same way while an applicant supplements materials (补正). A Span
// [From, To] records one stop: From is the day the clock stopped (补正 was
// requested, the procedure began), To the day it ended (the supplement came
// in, the procedure finished). Both ends are inclusive: no working day from
// From to To counts, and the clock runs again from the day after To. A span
// with a zero To is still open. Overlapping or adjacent spans are merged, so
// a working day is never "un-counted" twice.
//
// # Performance
//
// Each year is held as a cumulative count of working days by day of year,
// so counting the working days between two dates is two array reads per
// year crossed and finding the N-th working day is a binary search in one
// year's array, instead of a walk day by day.
package calendar
