package slug

import "testing"

func TestMake(t *testing.T) {
	seen := map[string]string{}
	cases := []struct{ title, want string }{
		{"Hello, World!", "hello-world"},
		{"Straße & Brücke", "strasse-and-bruecke"},
		{"  Go 1.25 released ", "go-1-25-released"},
		{"Hello World", "hello-world"},
	}
	for _, tc := range cases {
		t.Run(tc.title, func(t *testing.T) {
			got := Make(tc.title)
			if got != tc.want {
				t.Fatalf("Make(%q) = %q, want %q", tc.title, got, tc.want)
			}
			if prev, dup := seen[got]; dup {
				t.Logf("%q collides with %q", tc.title, prev)
			}
			seen[got] = tc.title
		})
	}
	if len(seen) != 3 {
		t.Fatalf("%d distinct slugs, want 3", len(seen))
	}
}
