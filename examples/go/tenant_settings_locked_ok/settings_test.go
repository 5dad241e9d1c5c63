package tenants

import (
	"strconv"
	"sync"
	"testing"
)

func TestStreams(t *testing.T) {
	s := NewSettings()
	admin, cfgSync := make(chan Update), make(chan Update)
	var wg sync.WaitGroup
	wg.Go(func() { s.Consume(admin) })
	wg.Go(func() { s.Consume(cfgSync) })
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			_ = s.Get("acme", "plan")
		}
	})
	for i := 0; i < 300; i++ {
		admin <- Update{Tenant: "acme", Key: "seats", Value: strconv.Itoa(i)}
		cfgSync <- Update{Tenant: "tenant-" + strconv.Itoa(i%7), Key: "plan", Value: "pro"}
	}
	close(admin)
	close(cfgSync)
	wg.Wait()
	if got := s.Get("acme", "seats"); got != "299" {
		t.Fatalf("seats = %q", got)
	}
}
