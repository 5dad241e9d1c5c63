"""A threaded chat server whose client table is guarded on every path."""
import socketserver
import threading

clients = {}
clients_lock = threading.Lock()


class ChatHandler(socketserver.StreamRequestHandler):
    def handle(self):
        name = self.rfile.readline().strip().decode()
        with clients_lock:
            clients[name] = self.wfile
        try:
            for line in self.rfile:
                with clients_lock:
                    targets = [out for other, out in clients.items() if other != name]
                for out in targets:
                    out.write(line)
        finally:
            with clients_lock:
                del clients[name]


if __name__ == "__main__":
    with socketserver.ThreadingTCPServer(("127.0.0.1", 9000), ChatHandler) as srv:
        srv.serve_forever()
