package tenants

import (
	"strconv"
	"sync"
	"testing"
)

func TestStreams(t *testing.T) {
	s := NewSettings("acme", "globex")
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
		v := "pro"
		if i%4 == 0 {
			v = ""
		}
		cfgSync <- Update{Tenant: "acme", Key: "plan", Value: v}
	}
	close(admin)
	close(cfgSync)
	wg.Wait()
}
