// Package auth owns accounts, passwords, second factors, lockout and
// sessions (web cookies and API bearer tokens), following the platform's
// security baseline (等保 2.0 level 3, OWASP ASVS level 2).
package auth

import (
	"context"
	"time"

	"github.com/qinqing/qinqing/internal/audit"
	"github.com/qinqing/qinqing/internal/db"
	"github.com/qinqing/qinqing/internal/errs"
	"github.com/qinqing/qinqing/internal/identity"
	"github.com/qinqing/qinqing/internal/ratelimit"
	"github.com/qinqing/qinqing/internal/seal"
)

// MFAMode says who needs a second factor.
type MFAMode string

// The MFA modes (QINQING_MFA).
const (
	MFAOff   MFAMode = "off"
	MFAStaff MFAMode = "staff"
	MFAAll   MFAMode = "all"
)

// Config tunes the service; zero fields take the defaults.
type Config struct {
	MFA                MFAMode
	Demo               bool // demo accounts may log in only in demo mode
	Policy             PasswordPolicy
	IdleTimeout        time.Duration // enterprise users: 30 min
	StaffIdleTimeout   time.Duration // staff: 15 min
	AbsoluteTimeout    time.Duration // 12 h
	LockThreshold      int           // consecutive failures: 5
	LockDuration       time.Duration // 15 min
	IPFailureLimit     int           // failed logins per IP per window: 30
	IPFailureWindow    time.Duration // 15 min
	Issuer             string        // shown in authenticator apps
	SessionTouchPeriod time.Duration // how stale last_seen may get before it is rewritten: 1 min
}

func (c *Config) defaults() {
	if c.MFA == "" {
		c.MFA = MFAStaff
	}
	if c.Policy.MinLength == 0 {
		c.Policy = DefaultPasswordPolicy
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&c.IdleTimeout, 30*time.Minute)
	def(&c.StaffIdleTimeout, 15*time.Minute)
	def(&c.AbsoluteTimeout, 12*time.Hour)
	def(&c.LockDuration, 15*time.Minute)
	def(&c.IPFailureWindow, 15*time.Minute)
	def(&c.SessionTouchPeriod, time.Minute)
	if c.LockThreshold == 0 {
		c.LockThreshold = 5
	}
	if c.IPFailureLimit == 0 {
		c.IPFailureLimit = 30
	}
	if c.Issuer == "" {
		c.Issuer = "亲清"
	}
}

// Service is the account and session service.
type Service struct {
	db  *db.DB
	cfg Config
	box *seal.Box
	ipl *ratelimit.Failures
	now func() time.Time
}

// NewService returns a Service over d. box encrypts TOTP secrets at rest.
func NewService(d *db.DB, cfg Config, box *seal.Box) *Service {
	cfg.defaults()
	if box == nil {
		box = &seal.Box{}
	}
	return &Service{db: d, cfg: cfg, box: box, ipl: ratelimit.NewFailures(cfg.IPFailureLimit, cfg.IPFailureWindow), now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the service's clock (tests of expiry and lockout).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Config returns the effective configuration.
func (s *Service) Config() Config { return s.cfg }

// mfaRequired reports whether role needs a second factor under the mode.
func (s *Service) mfaRequired(role identity.Role) bool {
	switch s.cfg.MFA {
	case MFAAll:
		return true
	case MFAStaff:
		return role.IsStaff()
	}
	return false
}

func (s *Service) idleTimeout(role identity.Role) time.Duration {
	if role.IsStaff() {
		return s.cfg.StaffIdleTimeout
	}
	return s.cfg.IdleTimeout
}

// denied records a refused action and returns ErrForbidden.
func (s *Service) denied(ctx context.Context, action, objType, objID string) error {
	_ = audit.WriteAlone(ctx, s.db, audit.Event{Action: action, ObjectType: objType, ObjectID: objID, Result: audit.ResultDenied})
	return errs.Forbidden()
}
