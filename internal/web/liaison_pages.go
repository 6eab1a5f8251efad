package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

// liaisonBox is the enterprise profile's 亲清特使 card: who serves the firm
// and, for those who pair firms with officers, the form to change it.
type liaisonBox struct {
	EnterpriseID int64
	Officer      enterprise.LiaisonOfficer
	Has          bool
	Own          bool // the firm's own user is reading
	CanAssign    bool
	Officers     []enterprise.LiaisonOfficer // active officers to choose from
}

// liaisonBoxOf fills the 亲清特使 card of enterprise id for p (the profile
// has been read already, so p may see it). A failure only leaves the card
// out, logged: the rest of the profile still shows.
func (s *Server) liaisonBoxOf(ctx context.Context, p *identity.Principal, id int64) *liaisonBox {
	o, has, err := s.Enterprise.Liaison(ctx, id)
	if err != nil {
		s.Log.Error("liaison of enterprise", "enterprise", id, "err", err, "request_id", identity.RequestFrom(ctx).ID)
		return nil
	}
	b := &liaisonBox{EnterpriseID: id, Officer: o, Has: has, Own: p.Can(identity.PermEnterpriseOwn) && p.EnterpriseID == id,
		CanAssign: p.Can(identity.PermLiaisonAssign)}
	if b.CanAssign {
		if b.Officers, err = s.Enterprise.LiaisonOfficers(ctx); err != nil {
			s.Log.Error("liaison officers", "err", err, "request_id", identity.RequestFrom(ctx).ID)
			b.CanAssign = false
		}
	}
	return b
}

// liaisonAssign answers the card's form: account_id pairs the firm with
// that officer, 0 removes the pairing. The result comes back as a flash on
// the profile; a refused choice (an account disabled meanwhile) says why.
func (s *Server) liaisonAssign(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.requireUser(w, r); !ok {
		return
	}
	lang := httpmw.Lang(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.NotFound(w, r)
		return
	}
	back := fmt.Sprintf("/enterprises/%d#liaison", id)
	account, err := strconv.ParseInt(strings.TrimSpace(r.PostFormValue("account_id")), 10, 64)
	if err != nil {
		s.setFlash(w, i18n.M("请选择亲清特使", "Choose a liaison officer").In(lang))
		redirect(w, r, back)
		return
	}
	err = s.Enterprise.AssignLiaison(r.Context(), id, account)
	switch {
	case errors.Is(err, errs.ErrInvalid):
		s.setFlash(w, i18n.M("未能指派亲清特使：", "The liaison officer was not assigned: ").In(lang)+errText(err, lang))
	case err != nil:
		s.fail(w, r, err)
		return
	case account == 0:
		s.setFlash(w, i18n.M("已取消该企业的亲清特使", "The firm no longer has a liaison officer").In(lang))
	default:
		msg := i18n.M("已指派亲清特使", "Liaison officer assigned").In(lang)
		if o, ok, err := s.Enterprise.Liaison(r.Context(), id); err == nil && ok {
			msg += "：" + o.Name()
		}
		s.setFlash(w, msg)
	}
	redirect(w, r, back)
}
