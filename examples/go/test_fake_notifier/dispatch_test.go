package alerting

import (
	"strconv"
	"testing"
)

type recordingNotifier struct {
	sent map[string][]string
}

func (r *recordingNotifier) Notify(user, text string) error {
	r.sent[user] = append(r.sent[user], text) // want ML101 ML102
	return nil
}

func TestSendReachesEveryone(t *testing.T) {
	rec := &recordingNotifier{sent: make(map[string][]string)}
	d := &Dispatcher{N: rec}
	var alerts []Alert
	for i := 0; i < 100; i++ {
		alerts = append(alerts, Alert{Text: "disk full on node" + strconv.Itoa(i), Recipients: []string{"alice", "bob", "oncall"}})
	}
	if err := d.Send(alerts); err != nil {
		t.Fatal(err)
	}
	if got := len(rec.sent["oncall"]); got != 100 {
		t.Errorf("oncall got %d alerts, want 100", got)
	}
}
