package plugins

import (
	"strconv"
	"sync"
	"testing"
)

type fakePlugin struct {
	name string
	cmds int
}

func (p fakePlugin) Name() string { return p.name }

func (p fakePlugin) Init(r Registry) error {
	for i := 0; i < p.cmds; i++ {
		if err := r.Register(p.name+"-"+strconv.Itoa(i), func([]string) error { return nil }); err != nil {
			return err
		}
	}
	return nil
}

func TestLoadAllWhileServing(t *testing.T) {
	r := Registry{"help": func([]string) error { return nil }}
	var ps []Plugin
	for i := 0; i < 6; i++ {
		ps = append(ps, fakePlugin{name: "plugin" + strconv.Itoa(i), cmds: 50})
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; i < 300; i++ {
			r.Run("help", nil)
		}
	})
	if err := LoadAll(r, ps); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
}
