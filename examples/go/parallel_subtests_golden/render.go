// Package mailtmpl renders transactional e-mail bodies.
package mailtmpl

import (
	"bytes"
	"text/template"
)

var templates = template.Must(template.New("mail").Parse(`
{{define "welcome"}}Hi {{.Name}}, welcome aboard!{{end}}
{{define "reset"}}Hi {{.Name}}, use code {{.Code}} to reset your password.{{end}}
{{define "invoice"}}Invoice {{.Code}} for {{.Name}} is attached.{{end}}
`))

type Data struct {
	Name string
	Code string
}

// Render executes the named template with d.
func Render(name string, d Data) (string, error) {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, d); err != nil {
		return "", err
	}
	return buf.String(), nil
}
