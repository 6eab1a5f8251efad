package enterprise

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/standards"
)

const enterpriseCols = `id, credit_code, name, legal_rep, COALESCE(registered_on, ''), region_code, address, industry_code,
	industry_section, ownership, registered_capital_fen, contact_name, contact_phone, business_scope, tax_credit_grade,
	dishonest, dishonest_note, created_at, updated_at, version`

func scanEnterprise(row interface{ Scan(...any) error }) (Enterprise, error) {
	var e Enterprise
	var capital sql.NullInt64
	err := row.Scan(&e.ID, &e.CreditCode, &e.Name, &e.LegalRep, &e.RegisteredOn, &e.RegionCode, &e.Address, &e.IndustryCode,
		&e.IndustrySection, &e.Ownership, &capital, &e.ContactName, &e.ContactPhone, &e.BusinessScope, &e.TaxCreditGrade,
		&e.Dishonest, &e.DishonestNote, &e.CreatedAt, &e.UpdatedAt, &e.Version)
	e.RegisteredCapitalFen = ptrInt(capital)
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, err
}

var errNotFound = errs.NotFound(i18n.M("企业", "Enterprise"))

// load reads one full profile (row, latest facts, tags) through q, which may
// be the read pool or a write transaction.
func load(ctx context.Context, q db.Queryer, where string, arg any, today string) (Enterprise, error) {
	e, err := scanEnterprise(q.QueryRowContext(ctx, "SELECT "+enterpriseCols+" FROM enterprises WHERE "+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return Enterprise{}, errNotFound
	}
	if err != nil {
		return Enterprise{}, fmt.Errorf("load enterprise: %w", err)
	}
	facts, err := factsOf(ctx, q, e.ID, 1)
	if err != nil {
		return Enterprise{}, err
	}
	if len(facts) > 0 {
		e.Facts = facts[0]
	}
	tags, err := tagsOf(ctx, q, []int64{e.ID})
	if err != nil {
		return Enterprise{}, err
	}
	e.Tags = tags[e.ID]
	e.derive(today)
	return e, nil
}

// derive computes the size class and 规上 status from the latest facts.
func (e *Enterprise) derive(today string) {
	e.Size = standards.ClassifySize(standards.SizeInput{IndustryCode: e.IndustryCode,
		Employees: e.Facts.Employees, RevenueFen: e.Facts.RevenueFen, AssetsFen: e.Facts.AssetsFen})
	qualified := false
	for _, t := range e.Tags {
		if t.Code == TagQualifiedLimit && t.ActiveOn(today) {
			qualified = true
		}
	}
	e.AboveScale = standards.AboveScale(standards.AboveScaleInput{IndustryCode: e.IndustryCode,
		RevenueFen: e.Facts.RevenueFen, QualifiedTag: qualified})
}

const factsCols = `fiscal_year, employees, revenue_fen, assets_fen, taxable_income_fen, rd_expense_fen, tech_staff,
	exports_fen, hightech_revenue_fen, costs_fen, ip_class1, ip_class2, source, verified, updated_at`

// factsOf returns up to limit years of facts, newest first.
func factsOf(ctx context.Context, q db.Queryer, id int64, limit int) ([]Facts, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+factsCols+" FROM enterprise_facts WHERE enterprise_id = ? ORDER BY fiscal_year DESC LIMIT ?", id, limit)
	if err != nil {
		return nil, fmt.Errorf("load facts: %w", err)
	}
	defer rows.Close()
	var out []Facts
	for rows.Next() {
		fa, err := scanFacts(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, fa)
	}
	return out, rows.Err()
}

// scanFacts scans factsCols, after any leading columns given.
func scanFacts(row interface{ Scan(...any) error }, leading ...any) (Facts, error) {
	var fa Facts
	var emp, rev, ast, tax, rd, tech, exp, htr, costs, ip1, ip2 sql.NullInt64
	err := row.Scan(append(leading, &fa.FiscalYear, &emp, &rev, &ast, &tax, &rd, &tech, &exp, &htr, &costs, &ip1, &ip2,
		&fa.Source, &fa.Verified, &fa.UpdatedAt)...)
	fa.Employees, fa.RevenueFen, fa.AssetsFen, fa.TaxableIncomeFen = ptrInt(emp), ptrInt(rev), ptrInt(ast), ptrInt(tax)
	fa.RDExpenseFen, fa.TechStaff, fa.ExportsFen = ptrInt(rd), ptrInt(tech), ptrInt(exp)
	fa.HighTechRevenueFen, fa.CostsFen, fa.IPClass1, fa.IPClass2 = ptrInt(htr), ptrInt(costs), ptrInt(ip1), ptrInt(ip2)
	fa.UpdatedAt = fa.UpdatedAt.UTC()
	return fa, err
}

// tagsOf loads the tags of several enterprises at once.
func tagsOf(ctx context.Context, q db.Queryer, ids []int64) (map[int64][]Tag, error) {
	out := make(map[int64][]Tag, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := db.In(ids)
	rows, err := q.QueryContext(ctx, `SELECT et.enterprise_id, et.tag_code, t.name, t.name_en, COALESCE(et.valid_from, ''),
		COALESCE(et.valid_to, ''), et.certificate_no FROM enterprise_tags et JOIN tags t ON t.code = et.tag_code
		WHERE et.enterprise_id IN `+in+` ORDER BY t.sort, t.code`, args...)
	if err != nil {
		return nil, fmt.Errorf("load tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t Tag
		if err := rows.Scan(&id, &t.Code, &t.Name.Zh, &t.Name.En, &t.ValidFrom, &t.ValidTo, &t.CertificateNo); err != nil {
			return nil, err
		}
		out[id] = append(out[id], t)
	}
	return out, rows.Err()
}

// insertRow inserts the enterprise row and returns its id.
func insertRow(ctx context.Context, tx *db.Tx, e *Enterprise, now time.Time) error {
	return tx.QueryRowContext(ctx, `INSERT INTO enterprises (credit_code, name, legal_rep, registered_on, region_code, address,
		industry_code, industry_section, ownership, registered_capital_fen, contact_name, contact_phone, business_scope,
		tax_credit_grade, dishonest, dishonest_note, created_at, updated_at, version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id`,
		e.CreditCode, e.Name, e.LegalRep, nullStr(e.RegisteredOn), e.RegionCode, e.Address, e.IndustryCode, e.IndustrySection,
		e.Ownership, e.RegisteredCapitalFen, e.ContactName, e.ContactPhone, e.BusinessScope, e.TaxCreditGrade,
		e.Dishonest, e.DishonestNote, now, now).Scan(&e.ID)
}

// updateRow writes the enterprise row, bumping its version.
func updateRow(ctx context.Context, tx *db.Tx, e *Enterprise, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE enterprises SET credit_code = ?, name = ?, legal_rep = ?, registered_on = ?,
		region_code = ?, address = ?, industry_code = ?, industry_section = ?, ownership = ?, registered_capital_fen = ?,
		contact_name = ?, contact_phone = ?, business_scope = ?, tax_credit_grade = ?, dishonest = ?, dishonest_note = ?,
		updated_at = ?, version = version + 1 WHERE id = ?`,
		e.CreditCode, e.Name, e.LegalRep, nullStr(e.RegisteredOn), e.RegionCode, e.Address, e.IndustryCode, e.IndustrySection,
		e.Ownership, e.RegisteredCapitalFen, e.ContactName, e.ContactPhone, e.BusinessScope, e.TaxCreditGrade,
		e.Dishonest, e.DishonestNote, now, e.ID)
	return err
}

// upsertFacts writes one fiscal year's facts.
func upsertFacts(ctx context.Context, tx *db.Tx, id int64, fa Facts, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO enterprise_facts (enterprise_id, fiscal_year, employees, revenue_fen, assets_fen,
		taxable_income_fen, rd_expense_fen, tech_staff, exports_fen, hightech_revenue_fen, costs_fen, ip_class1, ip_class2,
		source, verified, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (enterprise_id, fiscal_year) DO UPDATE SET employees = excluded.employees, revenue_fen = excluded.revenue_fen,
		assets_fen = excluded.assets_fen, taxable_income_fen = excluded.taxable_income_fen, rd_expense_fen = excluded.rd_expense_fen,
		tech_staff = excluded.tech_staff, exports_fen = excluded.exports_fen, hightech_revenue_fen = excluded.hightech_revenue_fen,
		costs_fen = excluded.costs_fen, ip_class1 = excluded.ip_class1, ip_class2 = excluded.ip_class2, source = excluded.source,
		verified = excluded.verified, updated_at = excluded.updated_at`,
		id, fa.FiscalYear, fa.Employees, fa.RevenueFen, fa.AssetsFen, fa.TaxableIncomeFen, fa.RDExpenseFen, fa.TechStaff,
		fa.ExportsFen, fa.HighTechRevenueFen, fa.CostsFen, fa.IPClass1, fa.IPClass2, fa.Source, fa.Verified, now)
	return err
}

// replaceTags replaces an enterprise's tag set.
func replaceTags(ctx context.Context, tx *db.Tx, id int64, tags []Tag, now time.Time) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM enterprise_tags WHERE enterprise_id = ?", id); err != nil {
		return err
	}
	for _, t := range tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO enterprise_tags (enterprise_id, tag_code, valid_from, valid_to, certificate_no, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, id, t.Code, nullStr(t.ValidFrom), nullStr(t.ValidTo), t.CertificateNo, now); err != nil {
			return err
		}
	}
	return nil
}

// writeDerived stores the derived columns used for filtering.
func writeDerived(ctx context.Context, tx *db.Tx, e *Enterprise) error {
	var year any
	if e.Facts.FiscalYear != 0 {
		year = e.Facts.FiscalYear
	}
	_, err := tx.ExecContext(ctx, "UPDATE enterprises SET facts_year = ?, size_class = ?, above_scale = ? WHERE id = ?",
		year, string(e.Size.Class), e.AboveScale.Status, e.ID)
	return err
}

func ptrInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
