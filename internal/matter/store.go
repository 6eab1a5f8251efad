package matter

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

var (
	errMatterNotFound  = errs.NotFound(i18n.M("事项", "Matter"))
	errVersionNotFound = errs.NotFound(i18n.M("事项版本", "Matter version"))
	errBundleNotFound  = errs.NotFound(i18n.M("一件事", "Bundle"))
)

// versionCols are the columns of matter_versions, prefixed with v.
const versionCols = `v.matter_code, v.version, v.name, v.name_en, v.matter_type, v.department_code, v.exercise_level,
	v.legal_basis, v.legal_limit_days, v.committed_limit_days, v.limit_note, v.case_type, v.visits, v.online_depth,
	v.mail_delivery, v.fee_basis, v.fee_fen, v.accept_conditions, v.process, v.location, v.hours, v.consult_phone,
	v.complaint_phone, v.result_name, v.events, v.form_fields, v.change_note, v.created_at, v.created_by`

// matterCols are the columns of matters that go with a current version.
const matterCols = `m.code, m.basic_code, m.department_code, m.active, m.current_version`

type scanner interface{ Scan(...any) error }

// scanVersion scans versionCols after any leading destinations.
func scanVersion(row scanner, leading ...any) (Version, error) {
	var v Version
	var fee sql.NullInt64
	var events, fields string
	err := row.Scan(append(leading, &v.MatterCode, &v.Version, &v.Name, &v.NameEn, &v.Type, &v.DepartmentCode,
		&v.ExerciseLevel, &v.LegalBasis, &v.LegalLimitDays, &v.CommittedLimitDays, &v.LimitNote, &v.CaseType,
		&v.Visits, &v.OnlineDepth, &v.MailDelivery, &v.FeeBasis, &fee, &v.AcceptConditions, &v.Process, &v.Location,
		&v.Hours, &v.ConsultPhone, &v.ComplaintPhone, &v.ResultName, &events, &fields, &v.ChangeNote, &v.CreatedAt,
		&v.CreatedBy)...)
	if err != nil {
		return v, err
	}
	if fee.Valid {
		v.FeeFen = &fee.Int64
	}
	v.CreatedAt = v.CreatedAt.UTC()
	if err := json.Unmarshal([]byte(events), &v.Events); err != nil {
		return v, fmt.Errorf("matter %s v%d events: %w", v.MatterCode, v.Version, err)
	}
	if err := json.Unmarshal([]byte(fields), &v.FormFields); err != nil {
		return v, fmt.Errorf("matter %s v%d form fields: %w", v.MatterCode, v.Version, err)
	}
	if v.Events == nil {
		v.Events = []string{}
	}
	if v.FormFields == nil {
		v.FormFields = []FormField{}
	}
	v.Materials = []Material{}
	return v, nil
}

// scanMatter scans matterCols followed by versionCols.
func scanMatter(row scanner) (Matter, error) {
	var m Matter
	v, err := scanVersion(row, &m.Code, &m.BasicCode, &m.DepartmentCode, &m.Active, &m.Versions)
	m.Current = v
	m.InBundles = []string{}
	return m, err
}

// loadMatter reads one matter with its current version, materials and
// bundles through q (the read pool or a transaction).
func loadMatter(ctx context.Context, q db.Queryer, code string) (Matter, error) {
	m, err := scanMatter(q.QueryRowContext(ctx, "SELECT "+matterCols+", "+versionCols+` FROM matters m
		JOIN matter_versions v ON v.matter_code = m.code AND v.version = m.current_version WHERE m.code = ?`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return Matter{}, errMatterNotFound
	}
	if err != nil {
		return Matter{}, fmt.Errorf("load matter %s: %w", code, err)
	}
	items := []Matter{m}
	if err := attach(ctx, q, items); err != nil {
		return Matter{}, err
	}
	return items[0], nil
}

// attach loads the current versions' materials and the active bundles of
// the given matters.
func attach(ctx context.Context, q db.Queryer, items []Matter) error {
	byCode := make(map[string]*Matter, len(items))
	for i := range items {
		byCode[items[i].Code] = &items[i]
	}
	const chunk = 500
	for start := 0; start < len(items); start += chunk {
		var keys []string
		for _, m := range items[start:min(start+chunk, len(items))] {
			keys = append(keys, m.Code)
		}
		in, args := db.In(keys)
		rows, err := q.QueryContext(ctx, `SELECT mm.matter_code, mm.seq, mm.name, mm.required, mm.form, mm.copies, mm.source,
			mm.source_ref, mm.note FROM matter_materials mm JOIN matters m ON m.code = mm.matter_code AND m.current_version = mm.version
			WHERE mm.matter_code IN `+in+` ORDER BY mm.matter_code, mm.seq`, args...)
		if err != nil {
			return fmt.Errorf("load materials: %w", err)
		}
		for rows.Next() {
			var code string
			mat, err := scanMaterial(rows, &code)
			if err != nil {
				rows.Close()
				return err
			}
			if m := byCode[code]; m != nil {
				m.Current.Materials = append(m.Current.Materials, mat)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = q.QueryContext(ctx, `SELECT bm.matter_code, bm.bundle_code FROM bundle_members bm
			JOIN bundles b ON b.code = bm.bundle_code WHERE b.active AND bm.matter_code IN `+in+` ORDER BY bm.bundle_code`, args...)
		if err != nil {
			return fmt.Errorf("load bundle membership: %w", err)
		}
		for rows.Next() {
			var code, bundle string
			if err := rows.Scan(&code, &bundle); err != nil {
				rows.Close()
				return err
			}
			if m := byCode[code]; m != nil {
				m.InBundles = append(m.InBundles, bundle)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

func scanMaterial(row scanner, leading ...any) (Material, error) {
	var m Material
	err := row.Scan(append(leading, &m.Seq, &m.Name, &m.Required, &m.Form, &m.Copies, &m.Source, &m.SourceRef, &m.Note)...)
	return m, err
}

// loadVersion reads one version of a matter with its materials.
func loadVersion(ctx context.Context, q db.Queryer, code string, version int) (Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, "SELECT "+versionCols+" FROM matter_versions v WHERE v.matter_code = ? AND v.version = ?", code, version))
	if errors.Is(err, sql.ErrNoRows) {
		return Version{}, errVersionNotFound
	}
	if err != nil {
		return Version{}, fmt.Errorf("load matter %s v%d: %w", code, version, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT seq, name, required, form, copies, source, source_ref, note
		FROM matter_materials WHERE matter_code = ? AND version = ? ORDER BY seq`, code, version)
	if err != nil {
		return Version{}, fmt.Errorf("load materials: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMaterial(rows)
		if err != nil {
			return Version{}, err
		}
		v.Materials = append(v.Materials, m)
	}
	return v, rows.Err()
}

// insertVersion writes an immutable version and its materials.
func insertVersion(ctx context.Context, tx *db.Tx, v Version) error {
	events, _ := json.Marshal(v.Events)
	fields, _ := json.Marshal(v.FormFields)
	_, err := tx.ExecContext(ctx, `INSERT INTO matter_versions (matter_code, version, name, name_en, matter_type, department_code,
		exercise_level, legal_basis, legal_limit_days, committed_limit_days, limit_note, case_type, visits, online_depth,
		mail_delivery, fee_basis, fee_fen, accept_conditions, process, location, hours, consult_phone, complaint_phone,
		result_name, events, form_fields, change_note, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.MatterCode, v.Version, v.Name, v.NameEn, v.Type, v.DepartmentCode, v.ExerciseLevel, v.LegalBasis,
		v.LegalLimitDays, v.CommittedLimitDays, v.LimitNote, v.CaseType, v.Visits, v.OnlineDepth, v.MailDelivery,
		v.FeeBasis, v.FeeFen, v.AcceptConditions, v.Process, v.Location, v.Hours, v.ConsultPhone, v.ComplaintPhone,
		v.ResultName, string(events), string(fields), v.ChangeNote, v.CreatedAt, v.CreatedBy)
	if err != nil {
		return fmt.Errorf("insert matter %s v%d: %w", v.MatterCode, v.Version, err)
	}
	for _, m := range v.Materials {
		if _, err := tx.ExecContext(ctx, `INSERT INTO matter_materials (matter_code, version, seq, name, required, form, copies,
			source, source_ref, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			v.MatterCode, v.Version, m.Seq, m.Name, m.Required, m.Form, m.Copies, m.Source, m.SourceRef, m.Note); err != nil {
			return fmt.Errorf("insert material %d of matter %s v%d: %w", m.Seq, v.MatterCode, v.Version, err)
		}
	}
	return nil
}

// writeCurrent points the matter row at v and refreshes the columns copied
// from it (name, type, department, derived flags) and its event index.
func writeCurrent(ctx context.Context, tx *db.Tx, v Version, now time.Time) error {
	fl := v.Flags()
	if _, err := tx.ExecContext(ctx, `UPDATE matters SET current_version = ?, department_code = ?, name = ?, name_en = ?,
		matter_type = ?, zero_visit = ?, max_one_visit = ?, full_online = ?, zero_materials = ?, instant = ?, updated_at = ?
		WHERE code = ?`, v.Version, v.DepartmentCode, v.Name, v.NameEn, v.Type, fl.ZeroVisit, fl.MaxOneVisit, fl.FullOnline,
		fl.ZeroMaterials, fl.Instant, now, v.MatterCode); err != nil {
		return fmt.Errorf("update matter %s: %w", v.MatterCode, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM matter_events WHERE matter_code = ?", v.MatterCode); err != nil {
		return fmt.Errorf("clear events of %s: %w", v.MatterCode, err)
	}
	for _, e := range v.Events {
		if _, err := tx.ExecContext(ctx, "INSERT INTO matter_events (matter_code, event) VALUES (?, ?)", v.MatterCode, e); err != nil {
			return fmt.Errorf("index event %s of %s: %w", e, v.MatterCode, err)
		}
	}
	return nil
}

// insertMatter inserts the matter row of a new matter; writeCurrent fills
// in the copied columns once version 1 exists.
func insertMatter(ctx context.Context, tx *db.Tx, c checked, now time.Time) error {
	v := c.v
	fl := v.Flags()
	_, err := tx.ExecContext(ctx, `INSERT INTO matters (code, basic_code, department_code, current_version, active, name, name_en,
		matter_type, zero_visit, max_one_visit, full_online, zero_materials, instant, created_at, updated_at)
		VALUES (?, ?, ?, 1, TRUE, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.code, c.basicCode, v.DepartmentCode, v.Name, v.NameEn, v.Type, fl.ZeroVisit, fl.MaxOneVisit, fl.FullOnline,
		fl.ZeroMaterials, fl.Instant, now, now)
	return err
}

// departmentCodes returns the codes of every department.
func departmentCodes(ctx context.Context, q db.Queryer) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, "SELECT code FROM departments")
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out[c] = true
	}
	return out, rows.Err()
}
