package enterprise

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

func tagDefs(ctx context.Context, q db.Queryer, activeOnly bool) ([]TagDef, error) {
	query := "SELECT code, name, name_en, category, description, active, sort FROM tags"
	if activeOnly {
		query += " WHERE active = TRUE"
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY sort, code")
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	defer rows.Close()
	var out []TagDef
	for rows.Next() {
		var t TagDef
		if err := rows.Scan(&t.Code, &t.Name.Zh, &t.Name.En, &t.Category, &t.Description, &t.Active, &t.Sort); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// findTag matches a tag by code or by its Chinese or English name, so
// imports may use either.
func findTag(defs []TagDef, key string) (TagDef, bool) {
	for _, d := range defs {
		if d.Code == key || d.Name.Zh == key || strings.EqualFold(d.Name.En, key) {
			return d, true
		}
	}
	return TagDef{}, false
}

// Tags returns the tag vocabulary; anyone may read it.
func (s *Service) Tags(ctx context.Context, activeOnly bool) ([]TagDef, error) {
	return tagDefs(ctx, s.db, activeOnly)
}

var tagCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// SaveTag creates or updates a vocabulary entry (administrators only).
// Tags are retired with Active=false rather than deleted, so that history
// keeps its meaning.
func (s *Service) SaveTag(ctx context.Context, t TagDef) error {
	if !identity.PrincipalFrom(ctx).Can(identity.PermTagManage) {
		_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: "tag.save", ObjectType: "tag", ObjectID: t.Code, Result: audit.ResultDenied})
		return errs.Forbidden()
	}
	f := errs.Fields{}
	t.Code = strings.TrimSpace(t.Code)
	if !tagCodeRE.MatchString(t.Code) {
		f.Add("code", i18n.M("代码为 2–40 位小写字母、数字或下划线，以字母开头", "Code must be 2–40 lower-case letters, digits or underscores, starting with a letter"))
	}
	if strings.TrimSpace(t.Name.Zh) == "" {
		f.Add("name", i18n.M("必填", "Required"))
	}
	switch t.Category {
	case "qualification", "membership", "status":
	default:
		f.Add("category", i18n.M("类别应为资质、成员或状态", "Category must be qualification, membership or status"))
	}
	if err := f.Err(); err != nil {
		return err
	}
	return s.db.InTx(ctx, func(tx *db.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO tags (code, name, name_en, category, description, active, sort)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, category = excluded.category,
			description = excluded.description, active = excluded.active, sort = excluded.sort`,
			t.Code, strings.TrimSpace(t.Name.Zh), strings.TrimSpace(t.Name.En), t.Category, t.Description, t.Active, t.Sort)
		if err != nil {
			return fmt.Errorf("save tag %s: %w", t.Code, err)
		}
		return audit.Write(ctx, tx, audit.Event{Action: "tag.save", ObjectType: "tag", ObjectID: t.Code, Detail: t})
	})
}

// DefaultTags is the initial vocabulary every installation starts with.
var DefaultTags = []TagDef{
	{Code: "high_tech", Name: i18n.M("高新技术企业", "High and new technology enterprise"), Category: "qualification", Description: "国科发火〔2016〕32号认定，有效期三年"},
	{Code: "tech_sme", Name: i18n.M("科技型中小企业", "Technology-based SME"), Category: "qualification", Description: "国科发政〔2022〕67号评价入库，当年有效"},
	{Code: "specialized", Name: i18n.M("专精特新中小企业", "Specialised and sophisticated SME"), Category: "qualification"},
	{Code: "little_giant", Name: i18n.M("专精特新“小巨人”企业", "Little giant enterprise"), Category: "qualification"},
	{Code: "small_taxpayer", Name: i18n.M("小规模纳税人", "Small-scale VAT taxpayer"), Category: "status"},
	{Code: "ipo_reserve", Name: i18n.M("上市后备企业", "IPO reserve enterprise"), Category: "status"},
	{Code: "listed", Name: i18n.M("上市企业", "Listed company"), Category: "status"},
	{Code: "digital_workshop", Name: i18n.M("数字化车间", "Digital workshop"), Category: "qualification"},
	{Code: "smart_factory", Name: i18n.M("智能工厂", "Smart factory"), Category: "qualification"},
	{Code: "green_factory", Name: i18n.M("绿色工厂", "Green factory"), Category: "qualification"},
	{Code: "integrity_alliance", Name: i18n.M("企业廉洁联盟成员", "Integrity alliance member"), Category: "membership"},
	{Code: "startup", Name: i18n.M("初创企业", "Start-up"), Category: "status"},
	{Code: TagRestrictedIndustry, Name: i18n.M("国家限制或禁止类行业", "Restricted or prohibited industry"), Category: "status",
		Description: "从事《产业结构调整指导目录》限制类、淘汰类或《市场准入负面清单》禁止准入类业务；小型微利企业（财政部 税务总局公告2023年第12号）和科技型中小企业（国科发政〔2022〕67号）均排除此类企业"},
	{Code: "national_sci_award", Name: i18n.M("国家级科技奖励（近五年，获奖单位前三名）", "National science and technology award (last five years, among the first three units)"), Category: "qualification",
		Description: "科技型中小企业直接认定条件之一（国科发政〔2022〕67号第七条）；有效期填至获奖后第五年"},
	{Code: "provincial_rd_center", Name: i18n.M("省部级以上研发机构", "Provincial or higher-level R&D institution"), Category: "qualification",
		Description: "经认定的省部级以上研发机构（国家或市级企业技术中心、工程技术研究中心、重点实验室等）"},
	{Code: "standard_setter", Name: i18n.M("主导制定国际、国家或行业标准（近五年）", "Led an international, national or industry standard (last five years)"), Category: "qualification",
		Description: "科技型中小企业直接认定条件之一（国科发政〔2022〕67号第七条）；有效期填至标准发布后第五年"},
	{Code: TagQualifiedLimit, Name: i18n.M("限额以上资质（建筑业/房地产开发）", "Above-limit qualification (construction / real-estate development)"), Category: "qualification",
		Description: "建筑业、房地产开发经营按资质等级而非营业收入确定限额以上"},
}

// EnsureDefaultTags adds the default vocabulary entries that are missing,
// leaving administrators' edits alone.
func EnsureDefaultTags(ctx context.Context, d *db.DB) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		for i, t := range DefaultTags {
			_, err := tx.ExecContext(ctx, `INSERT INTO tags (code, name, name_en, category, description, active, sort)
				VALUES (?, ?, ?, ?, ?, TRUE, ?) ON CONFLICT (code) DO NOTHING`,
				t.Code, t.Name.Zh, t.Name.En, t.Category, t.Description, (i+1)*10)
			if err != nil {
				return fmt.Errorf("default tag %s: %w", t.Code, err)
			}
		}
		return nil
	})
}
