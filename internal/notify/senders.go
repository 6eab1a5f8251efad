package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/smtp"
	"strings"
	"time"
)

// SMTPSender sends e-mail through a relay (no authentication: the relay
// trusts the platform's network, as government mail relays usually do).
type SMTPSender struct {
	Addr string // host:port
	From string
}

// Send delivers one e-mail.
func (s SMTPSender) Send(ctx context.Context, m Message) error {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n%s\r\n",
		s.From, m.Recipient, mime.QEncoding.Encode("utf-8", m.Subject), m.Body)
	return smtp.SendMail(s.Addr, nil, s.From, []string{m.Recipient}, []byte(b.String()))
}

// WebhookSender hands SMS to a gateway adapter over HTTP: it posts
// {"to": phone, "text": body} and treats any 2xx answer as sent. Operators
// put their carrier's SMS API behind such an adapter.
type WebhookSender struct {
	URL    string
	Client *http.Client
}

// Send posts one SMS.
func (w WebhookSender) Send(ctx context.Context, m Message) error {
	body, _ := json.Marshal(map[string]string{"to": m.Recipient, "text": m.Body})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	c := w.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("sms gateway answered %s", resp.Status)
	}
	return nil
}
