package memo

import (
	"strconv"
	"sync"
	"testing"
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
				if u, err := users.Get(i % 40); err != nil || u.ID != i%40 {
					panic("bad user")
				}
			}
		})
	}
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			users.Invalidate(i % 40)
			users.Len()
		}
	})
	wg.Wait()
}
