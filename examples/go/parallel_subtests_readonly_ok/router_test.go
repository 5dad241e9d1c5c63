package grpcroute

import "testing"

var rules = NewRules(
	map[string]string{"billing.Invoices": "billing-v2", "auth.Tokens": "auth"},
	map[string]string{"/billing.Invoices/Export": "billing-batch"},
	"default",
)

func TestBackend(t *testing.T) {
	cases := map[string]map[string]string{
		"method override": {"/billing.Invoices/Export": "billing-batch"},
		"service":         {"/billing.Invoices/Get": "billing-v2", "/auth.Tokens/Issue": "auth"},
		"fallback":        {"/search.Query/Run": "default", "garbage": "default"},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := make(map[string]string, len(want))
			for i := 0; i < 200; i++ {
				for m := range want {
					got[m] = rules.Backend(m)
				}
			}
			for m, w := range want {
				if got[m] != w {
					t.Errorf("Backend(%q) = %q, want %q", m, got[m], w)
				}
			}
		})
	}
}
