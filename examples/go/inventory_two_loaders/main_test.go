package main

import (
	"strconv"
	"strings"
	"testing"
)

func export(prefix string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(prefix + strconv.Itoa(i%50) + "," + strconv.Itoa(i) + "\n")
	}
	return b.String()
}

func TestLoad(t *testing.T) {
	renamed := map[string]string{}
	for i := 0; i < 20; i++ {
		renamed["SKU-"+strconv.Itoa(i)] = "SKU-" + strconv.Itoa(i+100)
	}
	stock := load(export("SKU-", 400), export("SKU-", 300), renamed)
	if len(stock) == 0 {
		t.Fatal("empty stock")
	}
}
