// Package inventory queries every warehouse for stock levels concurrently.
package inventory

import (
	"sync"
)

type Warehouse struct {
	Name  string
	Stock func(skus []string) map[string]int
}

// Totals sums the stock of each SKU over all warehouses and reports which
// warehouses hold it.
func Totals(warehouses []Warehouse, skus []string) (map[string]int, map[string][]string) {
	var mu sync.Mutex
	totals := make(map[string]int, len(skus))
	holders := make(map[string][]string)
	var wg sync.WaitGroup
	for _, w := range warehouses {
		wg.Go(func() {
			levels := w.Stock(skus)
			mu.Lock()
			defer mu.Unlock()
			for sku, n := range levels {
				totals[sku] += n
				if n > 0 {
					holders[sku] = append(holders[sku], w.Name)
				}
			}
		})
	}
	wg.Wait()
	return totals, holders
}
