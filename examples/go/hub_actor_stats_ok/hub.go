// Package hub tracks the websocket clients connected to this server. A single
// goroutine owns the client table; other goroutines talk to it over channels.
package hub

type client struct {
	id   string
	addr string
}

type lookup struct {
	id    string
	reply chan string
}

type Hub struct {
	register   chan client
	unregister chan string
	lookups    chan lookup
	counts     chan chan int
	quit       chan struct{}
	done       chan struct{}
}

func New() *Hub {
	h := &Hub{
		register:   make(chan client),
		unregister: make(chan string),
		lookups:    make(chan lookup),
		counts:     make(chan chan int),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	go h.run(make(map[string]string))
	return h
}

func (h *Hub) run(clients map[string]string) {
	defer close(h.done)
	for {
		select {
		case c := <-h.register:
			clients[c.id] = c.addr
		case id := <-h.unregister:
			delete(clients, id)
		case l := <-h.lookups:
			l.reply <- clients[l.id]
		case reply := <-h.counts:
			reply <- len(clients)
		case <-h.quit:
			return
		}
	}
}

func (h *Hub) Register(id, addr string) { h.register <- client{id, addr} }
func (h *Hub) Unregister(id string)     { h.unregister <- id }

func (h *Hub) Addr(id string) string {
	reply := make(chan string)
	h.lookups <- lookup{id, reply}
	return <-reply
}

// Online is polled by the metrics exporter.
func (h *Hub) Online() int {
	reply := make(chan int)
	h.counts <- reply
	return <-reply
}

func (h *Hub) Close() {
	close(h.quit)
	<-h.done
}
