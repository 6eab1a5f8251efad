package api

import (
	"net/http"

	"github.com/qinqing/qinqing/internal/enterprise"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/i18n"
)

// liaisonJSON is an enterprise's liaison officer (亲清特使); Liaison is
// null when it has none.
type liaisonJSON struct {
	EnterpriseID int64               `json:"enterprise_id"`
	Liaison      *liaisonOfficerJSON `json:"liaison"`
}

type liaisonOfficerJSON struct {
	AccountID   int64  `json:"account_id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Disabled    bool   `json:"disabled,omitempty"`
}

// liaisonRequest is the body of PUT: account_id 0 or null removes the
// pairing; it must be present.
type liaisonRequest struct {
	AccountID enterprise.Maybe[int64] `json:"account_id"`
}

// writeLiaison answers with the enterprise's current pairing.
func (s *Server) writeLiaison(w http.ResponseWriter, r *http.Request, id int64) error {
	o, ok, err := s.Enterprise.Liaison(r.Context(), id)
	if err != nil {
		return err
	}
	out := liaisonJSON{EnterpriseID: id}
	if ok {
		out.Liaison = &liaisonOfficerJSON{AccountID: o.AccountID, Username: o.Username, DisplayName: o.DisplayName, Disabled: o.Disabled}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getLiaison(w http.ResponseWriter, r *http.Request) error {
	id, err := enterpriseID(r)
	if err != nil {
		return err
	}
	if _, err := s.Enterprise.Get(r.Context(), id); err != nil {
		return err // unknown (404) or not the caller's to see (403)
	}
	return s.writeLiaison(w, r, id)
}

func (s *Server) putLiaison(w http.ResponseWriter, r *http.Request) error {
	id, err := enterpriseID(r)
	if err != nil {
		return err
	}
	var req liaisonRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if !req.AccountID.Set {
		return errs.Invalid("account_id", i18n.M("必填：亲清特使的账户编号，0 或 null 表示取消指派",
			"Required: the liaison officer's account id; 0 or null removes the pairing"))
	}
	account := int64(0)
	if req.AccountID.Valid {
		account = req.AccountID.V
	}
	if err := s.Enterprise.AssignLiaison(r.Context(), id, account); err != nil {
		return err
	}
	return s.writeLiaison(w, r, id)
}
