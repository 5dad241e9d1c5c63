"""A chat server that hands out nicknames: the registry lives on the server,
which every connection's handler thread shares."""
import socketserver


class ChatServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True

    def __init__(self, addr, handler):
        super().__init__(addr, handler)
        self.nicks = {}


class NickHandler(socketserver.StreamRequestHandler):
    def handle(self):
        nick = self.rfile.readline().strip().decode()
        if nick not in self.server.nicks:
            self.server.nicks[nick] = self.session(nick)  # want ML202 "inserted after checking"
            self.wfile.write(b"OK\n")
        else:
            self.wfile.write(b"TAKEN\n")

    def session(self, nick):
        return {"nick": nick, "peer": self.client_address}


if __name__ == "__main__":
    with ChatServer(("127.0.0.1", 9000), NickHandler) as srv:
        srv.serve_forever()
