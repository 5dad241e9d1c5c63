// Package slug turns titles into URL slugs.
package slug

import (
	"strings"
	"unicode"
)

var replacements = map[rune]string{'ä': "ae", 'ö': "oe", 'ü': "ue", 'ß': "ss", '&': "and"}

func Make(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		if s, ok := replacements[r]; ok {
			b.WriteString(s)
			dash = false
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
