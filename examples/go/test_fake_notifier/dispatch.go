// Package alerting fans alerts out to every recipient's notification channel.
package alerting

import (
	"errors"
	"sync"
)

type Notifier interface {
	Notify(user, text string) error
}

type Alert struct {
	Text       string
	Recipients []string
}

type Dispatcher struct {
	N Notifier
}

// Send notifies every recipient of every alert concurrently and returns the
// combined errors.
func (d *Dispatcher) Send(alerts []Alert) error {
	var n int
	for _, a := range alerts {
		n += len(a.Recipients)
	}
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for _, a := range alerts {
		for _, user := range a.Recipients {
			wg.Go(func() { errs <- d.N.Notify(user, a.Text) })
		}
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}
