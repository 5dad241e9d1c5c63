package memo

import (
	"strconv"
	"sync"
	"testing"
	"time"
)

type user struct {
	ID   int
	Name string
}

func TestUserCache(t *testing.T) {
	users := New(func(id int) (user, error) {
		return user{ID: id, Name: "user" + strconv.Itoa(id)}, nil
	})
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := 0; i < 300; i++ {
				if i%50 == 49 {
					time.Sleep(100 * time.Microsecond)
				}
				if u, err := users.Get(i % 40); err != nil || u.ID != i%40 {
					panic("bad user")
				}
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			if i%50 == 49 {
				time.Sleep(100 * time.Microsecond)
			}
			users.Invalidate(i % 40)
		}
	})
	wg.Wait()
}
