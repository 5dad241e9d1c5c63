package mailtmpl

import (
	"strconv"
	"testing"
)

var (
	goldens = map[string]string{}
	uses    = map[string]int{}
)

func golden(t *testing.T, name string, d Data) string {
	t.Helper()
	key := name + "/" + d.Name
	uses[key]++                    // want ML101
	if g, ok := goldens[key]; ok { // want ML102
		return g
	}
	g, err := Render(name, d)
	if err != nil {
		t.Fatal(err)
	}
	goldens[key] = g // want ML101
	return g
}

func TestTemplatesStable(t *testing.T) {
	for _, name := range []string{"welcome", "reset", "invoice"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var rendered []string
			for i := 0; i < 5; i++ {
				got, err := Render(name, Data{Name: "user" + strconv.Itoa(i), Code: "X-42"})
				if err != nil {
					t.Fatal(err)
				}
				rendered = append(rendered, got)
			}
			for i := 0; i < 20000; i++ {
				d := Data{Name: "user" + strconv.Itoa(i%5), Code: "X-42"}
				if want := golden(t, name, d); rendered[i%5] != want {
					t.Fatalf("Render(%q, %v) = %q, want %q", name, d, rendered[i%5], want)
				}
			}
		})
	}
}
