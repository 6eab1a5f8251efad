package api

import (
	"net/http"
	"time"

	"github.com/qinqing/qinqing/internal/auth"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/httpmw"
	"github.com/qinqing/qinqing/internal/i18n"
	"github.com/qinqing/qinqing/internal/identity"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	OTP      string `json:"otp,omitempty"`
}

type loginResponse struct {
	Token              string    `json:"token"`
	ExpiresAt          time.Time `json:"expires_at"`
	MustChangePassword bool      `json:"must_change_password,omitempty"`
}

// login exchanges a username and password (and TOTP code for staff) for a
// bearer token.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	var req loginRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	f := errs.Fields{}
	if req.Username == "" {
		f.Add("username", i18n.M("必填", "Required"))
	}
	if req.Password == "" {
		f.Add("password", i18n.M("必填", "Required"))
	}
	if err := f.Err(); err != nil {
		return err
	}
	res, err := s.Auth.Login(r.Context(), auth.LoginInput{Username: req.Username, Password: req.Password, OTP: req.OTP, Kind: auth.KindAPI})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, loginResponse{Token: res.Token, ExpiresAt: res.ExpiresAt.UTC(), MustChangePassword: res.Stage == auth.StageNewPassword})
	return nil
}

// logout revokes the presented bearer token.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	st := httpmw.State(r)
	if _, err := requireLogin(r); err != nil || !st.Bearer {
		return errs.New(errs.ErrUnauthorized, "unauthenticated", i18n.M("请提供有效的令牌", "Present a valid bearer token"))
	}
	if err := s.Auth.Logout(r.Context(), st.Token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type passwordRequest struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

// changePassword changes the caller's password; every session ends.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireLogin(r); err != nil {
		return err
	}
	var req passwordRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := s.Auth.ChangePassword(r.Context(), req.CurrentPassword, req.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type meResponse struct {
	Username        string                `json:"username"`
	DisplayName     string                `json:"display_name"`
	Role            identity.Role         `json:"role"`
	RoleName        string                `json:"role_name"`
	EnterpriseID    int64                 `json:"enterprise_id,omitempty"`
	DepartmentCode  string                `json:"department_code,omitempty"`
	InstitutionCode string                `json:"institution_code,omitempty"`
	Permissions     []identity.Permission `json:"permissions"`
}

// me describes the signed-in principal.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	p, err := requireLogin(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, meResponse{Username: p.Username, DisplayName: p.DisplayName, Role: p.Role,
		RoleName: p.Role.Label().In(httpmw.Lang(r)), EnterpriseID: p.EnterpriseID, DepartmentCode: p.DepartmentCode,
		InstitutionCode: p.InstitutionCode, Permissions: p.Role.Permissions()})
	return nil
}
