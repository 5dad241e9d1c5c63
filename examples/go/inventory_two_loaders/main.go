// Command stockload merges warehouse and storefront stock exports.
package main

import (
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"strconv"
	"strings"
)

type item struct {
	sku string
	qty int
}

func parseCSV(data string) []item {
	rows, _ := csv.NewReader(strings.NewReader(data)).ReadAll()
	items := make([]item, 0, len(rows))
	for _, r := range rows {
		if len(r) == 2 {
			n, _ := strconv.Atoi(r[1])
			items = append(items, item{r[0], n})
		}
	}
	return items
}

// load merges both exports; renamed maps retired SKUs to their successor.
func load(warehouse, storefront string, renamed map[string]string) map[string]int {
	stock := make(map[string]int)
	done := make(chan struct{})
	go func() {
		for _, it := range parseCSV(warehouse) {
			stock[it.sku] += it.qty // want ML101
		}
		done <- struct{}{}
	}()
	go func() {
		shelf := make(map[string]int)
		for _, it := range parseCSV(storefront) {
			shelf[it.sku] = it.qty
		}
		maps.Insert(stock, maps.All(shelf)) // want ML101
		for oldSKU, newSKU := range renamed {
			stock[newSKU] = stock[oldSKU] // want ML101 ML102
			delete(stock, oldSKU)         // want ML101
		}
		done <- struct{}{}
	}()
	<-done
	<-done
	return stock
}

func main() {
	wh, err1 := os.ReadFile("warehouse.csv")
	sf, err2 := os.ReadFile("storefront.csv")
	if err1 != nil || err2 != nil {
		fmt.Fprintln(os.Stderr, "missing export:", err1, err2)
		os.Exit(1)
	}
	for sku, n := range load(string(wh), string(sf), map[string]string{"MUG-01": "MUG-02"}) {
		fmt.Println(sku, n)
	}
}
