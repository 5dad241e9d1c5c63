// Package currency formats amounts using ISO 4217 minor-unit data that is
// parsed on first use.
package currency

import (
	"strconv"
	"strings"
	"sync"
)

const iso4217 = `USD 2
EUR 2
JPY 0
KWD 3
CHF 2
CLP 0`

var (
	loadOnce   sync.Once
	minorUnits map[string]int
)

func units(code string) (int, bool) {
	loadOnce.Do(func() {
		minorUnits = make(map[string]int)
		for _, line := range strings.Split(iso4217, "\n") {
			code, digits, _ := strings.Cut(line, " ")
			n, _ := strconv.Atoi(digits)
			minorUnits[code] = n
		}
	})
	n, ok := minorUnits[code]
	return n, ok
}

// Format renders an amount given in minor units, e.g. Format(1999, "USD") = "19.99 USD".
func Format(minor int64, code string) string {
	digits, ok := units(code)
	if !ok {
		digits = 2
	}
	s := strconv.FormatInt(minor, 10)
	if digits == 0 {
		return s + " " + code
	}
	for len(s) <= digits {
		s = "0" + s
	}
	return s[:len(s)-digits] + "." + s[len(s)-digits:] + " " + code
}
