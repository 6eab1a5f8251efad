// Package seal encrypts sensitive column values at rest (TOTP secrets,
// identity numbers, bank accounts) with AES-256-GCM when the deployment
// configures a data key (QINQING_DATA_KEY). Without a key values are stored
// as given, which the config dump flags.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

const prefix = "enc:v1:"

// Box seals and opens values. The zero Box (no key) passes values through.
type Box struct {
	aead cipher.AEAD
}

// New derives an AES-256 key from the configured secret; an empty secret
// gives a pass-through Box.
func New(secret string) (*Box, error) {
	if secret == "" {
		return &Box{}, nil
	}
	if len(secret) < 16 {
		return nil, errors.New("data key must be at least 16 characters")
	}
	k := sha256.Sum256([]byte("qinqing-seal-v1\x00" + secret))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// Enabled reports whether values are encrypted.
func (b *Box) Enabled() bool { return b != nil && b.aead != nil }

// Seal encrypts plain (empty stays empty).
func (b *Box) Seal(plain string) string {
	if !b.Enabled() || plain == "" {
		return plain
	}
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	ct := b.aead.Seal(nonce, nonce, []byte(plain), nil)
	return prefix + base64.RawStdEncoding.EncodeToString(ct)
}

// ErrKey is returned when a sealed value cannot be opened with this key.
var ErrKey = errors.New("sealed value cannot be opened: missing or wrong data key")

// Open decrypts a value written by Seal; unsealed values pass through.
func (b *Box) Open(stored string) (string, error) {
	if !strings.HasPrefix(stored, prefix) {
		return stored, nil
	}
	if !b.Enabled() {
		return "", ErrKey
	}
	ct, err := base64.RawStdEncoding.DecodeString(stored[len(prefix):])
	if err != nil || len(ct) < b.aead.NonceSize() {
		return "", ErrKey
	}
	n := b.aead.NonceSize()
	pt, err := b.aead.Open(nil, ct[:n], ct[n:], nil)
	if err != nil {
		return "", ErrKey
	}
	return string(pt), nil
}
