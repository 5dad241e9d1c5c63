// Command shardmap routes a stream of user IDs to the database shard that owns
// them, using several router goroutines.
package main

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"sync"
)

func shardOf(user string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(user))
	return int(h.Sum32() % uint32(n))
}

func route(users []string, dsn map[int]string, routers int) []string {
	out := make([]string, len(users))
	var wg sync.WaitGroup
	for r := 0; r < routers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; i < len(users); i += routers {
				out[i] = dsn[shardOf(users[i], len(dsn))]
			}
		}()
	}
	wg.Wait()
	return out
}

func shardTable(n int) map[int]string {
	dsn := make(map[int]string, n)
	for i := 0; i < n; i++ {
		dsn[i] = "postgres://db-" + strconv.Itoa(i) + ".internal:5432/app"
	}
	return dsn
}

func main() {
	dsn := shardTable(4)
	dsn[0] = "postgres://db-0-replacement.internal:5432/app"
	users := []string{"ada", "grace", "linus", "ken", "rob"}
	for i, target := range route(users, dsn, 3) {
		fmt.Println(users[i], "→", target)
	}
}
