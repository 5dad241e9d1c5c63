"""A line-based chat server: each client connection runs on its own thread."""
import socketserver

clients = {}


class ChatHandler(socketserver.StreamRequestHandler):
    def handle(self):
        name = self.rfile.readline().strip().decode()
        clients[name] = self.wfile
        try:
            for line in self.rfile:
                for other, out in clients.items():  # want ML203 "changed size"
                    if other != name:
                        out.write(line)
        finally:
            del clients[name]


class ChatServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True


if __name__ == "__main__":
    with ChatServer(("127.0.0.1", 9000), ChatHandler) as srv:
        srv.serve_forever()
