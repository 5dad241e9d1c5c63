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
	clients    map[string]string
	register   chan client
	unregister chan string
	lookups    chan lookup
	quit       chan struct{}
	done       chan struct{}
}

func New() *Hub {
	h := &Hub{
		clients:    make(map[string]string),
		register:   make(chan client),
		unregister: make(chan string),
		lookups:    make(chan lookup),
		quit:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	go h.run()
	return h
}

func (h *Hub) run() {
	defer close(h.done)
	for {
		select {
		case c := <-h.register:
			h.clients[c.id] = c.addr // want ML102
		case id := <-h.unregister:
			delete(h.clients, id) // want ML102
		case l := <-h.lookups:
			l.reply <- h.clients[l.id]
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
	return len(h.clients) // want ML102
}

func (h *Hub) Close() {
	close(h.quit)
	<-h.done
}
