// Package thumbs renders image thumbnails on a fixed pool of workers.
package thumbs

import "sync"

type Job struct {
	ID     string
	Width  int
	Height int
}

type Result struct {
	Width, Height int
	Bytes         int
}

type Pool struct {
	render  func(Job) Result
	jobs    chan Job
	results map[string]Result
	wg      sync.WaitGroup
}

func NewPool(render func(Job) Result) *Pool {
	return &Pool{render: render, jobs: make(chan Job, 16), results: make(map[string]Result)}
}

func (p *Pool) Start(workers int) {
	for i := 0; i < workers; i++ {
		p.wg.Add(1)
		go p.worker()
	}
}

func (p *Pool) worker() {
	defer p.wg.Done()
	for j := range p.jobs {
		p.results[j.ID] = p.render(j) // want ML101
	}
}

func (p *Pool) Submit(j Job) { p.jobs <- j }

// Close stops accepting jobs, waits for the workers and returns all results.
func (p *Pool) Close() map[string]Result {
	close(p.jobs)
	p.wg.Wait()
	return p.results
}
